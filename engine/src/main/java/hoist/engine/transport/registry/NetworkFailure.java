package hoist.engine.transport.registry;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
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
     * or restarting), a TLS handshake the network broke off, a token service that was unavailable.
     * An unknown host or a TLS failure of certificates or protocol will fail the same way again.
     */
    static boolean retryable(IOException e) {
        if (e instanceof Described described) {
            return described.retryable;
        }
        if (e instanceof SSLException) {
            return brokenHandshake(e);
        }
        return !(e instanceof UnknownHostException
                || (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)));
    }

    /**
     * Whether a TLS failure is the connection's end in the middle of the handshake (the peer closed
     * or reset it) rather than a certificate or protocol the two sides could not agree on.
     */
    static boolean brokenHandshake(IOException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof EOFException || cause instanceof SocketException) {
                return true;
            }
        }
        return false;
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
            return "cannot reach " + host + " over TLS: " + detail
                    + (brokenHandshake(e) ? " (the connection broke during the TLS handshake)" : "");
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

    /**
     * The failure of the token service at {@code realmHost} ({@code HOST:PORT}) to answer: its
     * connection broke, or it answered a retryable status; either may pass when tried again.
     */
    static IOException atTokenService(String realmHost, IOException e) {
        if (e instanceof Described) {
            return e;
        }
        return new Described("the token service: " + describe(realmHost, e), e, retryable(e));
    }

    /** An IOException whose message is meant for the user, and whether trying again may help. */
    static final class Described extends IOException {
        private final boolean retryable;

        Described(String message, IOException cause) {
            this(message, cause, false);
        }

        Described(String message, IOException cause, boolean retryable) {
            super(message, cause);
            this.retryable = retryable;
        }
    }
}
