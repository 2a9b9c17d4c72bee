package hoist.engine.transport;

import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the transports say what the user should know but that does not stop the command (TLS
 * verification turned off for a registry reached over https): each warning is printed once per
 * key, however many connections or clients meet the same condition.
 */
public final class Warnings {

    private final PrintWriter sink;
    private final Set<String> given = ConcurrentHashMap.newKeySet();

    private Warnings(PrintWriter sink) {
        this.sink = sink;
    }

    /** Warnings printed on {@code sink}, one line each, {@code Warning: ...}. */
    public static Warnings printingTo(PrintWriter sink) {
        return new Warnings(sink);
    }

    /** Warnings printed on the process's standard error. */
    public static Warnings toStandardError() {
        return new Warnings(new PrintWriter(System.err, true));
    }

    /**
     * Prints {@code Warning: MESSAGE} unless a warning with {@code key} was printed already.
     *
     * @param key     what makes two warnings the same one (say, the condition and the host)
     * @param message one line, without the {@code Warning: } prefix
     */
    public void once(String key, String message) {
        if (given.add(key)) {
            synchronized (sink) {
                sink.println("Warning: " + message);
                sink.flush();
            }
        }
    }
}
