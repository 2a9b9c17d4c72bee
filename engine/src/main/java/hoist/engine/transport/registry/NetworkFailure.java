package hoist.engine.transport.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/**
 * What a broken conversation with a registry means to a user: refused, reset, timed out, unknown
 * host, or a TLS failure, said in words and naming the host ({@code HOST:PORT}), instead of the
 * HTTP library's own text ({@code Failed to connect to /127.0.0.1:5008}).
 */
final class NetworkFailure {

    private NetworkFailure() {
    }

    /**
     * Whether trying again may help: a refused, reset or timed-out connection (a registry starting
     * or restarting). An unknown host or a TLS failure will fail the same way again.
     */
    static boolean retryable(IOException e) {
        return !(e instanceof UnknownHostException || e instanceof SSLException
                || (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)));
    }

    /** The failure in words: {@code cannot reach HOST: connection refused}. */
    static String describe(String host, IOException e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ConnectException) {
            return "cannot reach " + host + ": connection refused";
        }
        if (e instanceof SocketTimeoutException) {
            return "cannot reach " + host + ": no answer in time (" + detail + ")";
        }
        if (e instanceof UnknownHostException) {
            return "cannot reach " + host + ": unknown host";
        }
        if (e instanceof NoRouteToHostException) {
            return "cannot reach " + host + ": no route to host";
        }
        if (e instanceof SSLException) {
            return "cannot reach " + host + " over TLS: " + detail;
        }
        if (e instanceof java.net.ProtocolException && detail.startsWith("Too many follow-up requests")) {
            return host + " redirected the request more than 20 times: a redirect loop";
        }
        return "the connection to " + host + " broke: " + detail;
    }

    /**
     * A failure after {@code attempts} tries, as an IOException whose message says it in words;
     * interruptions (a cancelled copy) and failures already described pass through unchanged.
     */
    static IOException wrap(String host, IOException e, int attempts) {
        if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
            return e;
        }
        if (e instanceof Described) {
            return e;
        }
        return new Described(describe(host, e) + (attempts > 1 ? " (tried " + attempts + " times)" : ""), e);
    }

    /** An IOException whose message is meant for the user. */
    static final class Described extends IOException {
        Described(String message, IOException cause) {
            super(message, cause);
        }
    }
}
