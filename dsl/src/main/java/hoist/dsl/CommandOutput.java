package hoist.dsl;

/** A command result that has a text form for people: what the command line prints on stdout. */
public interface CommandOutput {

    /** The text to print, without a trailing newline; empty prints nothing. */
    String text();

    /** The command line's exit status for this result: 0, unless the answer itself is "no". */
    default int exitStatus() {
        return 0;
    }
}
