package hoist.dsl;

/** A command result that has a text form for people: what the command line prints on stdout. */
public interface CommandOutput {

    /** The text to print, without a trailing newline; empty prints nothing. */
    String text();

    /**
     * Whether the command line ends the text with a line break: true, but false for bytes that
     * must come out exactly as stored ({@code inspect --raw}, so that {@code | sha256sum} gives the digest).
     */
    default boolean endsLine() {
        return true;
    }

    /** The command line's exit status for this result: 0, unless the answer itself is "no". */
    default int exitStatus() {
        return 0;
    }

    /**
     * What a script gets for this result: the result itself, or a plain value where the answer is
     * one ({@code manifest.exists} gives a {@code Boolean}, so {@code if} and {@code ==} read it
     * as a yes or no).
     */
    default Object scriptValue() {
        return this;
    }
}
