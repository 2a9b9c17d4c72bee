package hoist.dsl;

/** What a command's or an expression's result shows as text: the command line's and the shell's output. */
public final class Results {

    private Results() {
    }

    /** {@link CommandOutput#text()} for command results, the value's own text otherwise, "" for nothing. */
    public static String text(Object result) {
        if (result == null) {
            return "";
        }
        if (result instanceof CommandOutput output) {
            return output.text();
        }
        return String.valueOf(result);
    }
}
