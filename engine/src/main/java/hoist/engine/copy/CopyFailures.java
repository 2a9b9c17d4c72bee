package hoist.engine.copy;

import hoist.engine.HoistException;

import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns whatever went wrong into the one line a user reads. */
final class CopyFailures {

    private CopyFailures() {
    }

    static String describe(Throwable failure) {
        return HoistException.describe(unwrap(failure));
    }

    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof ExecutionException || t instanceof CompletionException || t instanceof UncheckedIOException
                || t instanceof BlobFanout.SourceFailedException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The failure as a {@link HoistException}, keeping its message and exit status. */
    static HoistException asHoist(Throwable failure, String context) {
        Throwable t = unwrap(failure);
        if (t instanceof HoistException h) {
            return h;
        }
        return new HoistException(named(context, describe(t)), t);
    }

    /**
     * {@code message} naming {@code what} once: prefixed with {@code "WHAT: "} unless it names it
     * already (a lower layer may have said which reference or blob it was working on).
     */
    static String named(String what, String message) {
        return message.contains(what) ? message : what + ": " + message;
    }
}
