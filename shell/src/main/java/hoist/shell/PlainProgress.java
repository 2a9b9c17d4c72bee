package hoist.shell;

import hoist.dsl.PlainLines;
import hoist.engine.copy.CopyEvent;
import hoist.engine.copy.ProgressListener;

import java.io.PrintWriter;

/** Progress as plain lines, podman's wording, for output that is not a terminal. */
public final class PlainProgress implements ProgressListener {

    private final PrintWriter err;

    public PlainProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public synchronized void on(CopyEvent event) {
        String line = line(event);
        if (line != null) {
            err.println(line);
            err.flush();
        }
    }

    /** The line for {@code event}, or null; the wording is {@link PlainLines}'s, shared with {@code --progress=plain}. */
    static String line(CopyEvent event) {
        return PlainLines.line(event);
    }
}
