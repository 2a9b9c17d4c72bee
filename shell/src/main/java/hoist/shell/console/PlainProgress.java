package hoist.shell.console;

import hoist.dsl.PlainLines;
import hoist.engine.copy.CopyEvent;
import hoist.engine.copy.ProgressListener;

import java.io.PrintWriter;

/** Progress as plain lines, podman's wording, for output that is not a terminal ({@link PlainLines}). */
public final class PlainProgress implements ProgressListener {

    private final PlainLines lines;

    public PlainProgress(PrintWriter err) {
        this.lines = new PlainLines(err);
    }

    @Override
    public void on(CopyEvent event) {
        lines.on(event);
    }

    /** The line for {@code event}, or null; the wording is {@link PlainLines}'s, shared with {@code --progress=plain}. */
    static String line(CopyEvent event) {
        return PlainLines.line(event);
    }
}
