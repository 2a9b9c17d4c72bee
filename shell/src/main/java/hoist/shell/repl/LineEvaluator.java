package hoist.shell.repl;

/** Runs one line typed at the shell prompt and says what to print of its result. */
public interface LineEvaluator {

    /** Runs the line; a failure is thrown (a {@link hoist.engine.HoistException} for what the user can fix). */
    Object evaluate(String line);

    /** What to print for a result; empty prints nothing. */
    String display(Object result);
}
