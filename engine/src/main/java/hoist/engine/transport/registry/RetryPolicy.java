package hoist.engine.transport.registry;

import okhttp3.Response;

import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * When to try a request again: broken connections, 408, 429 and 5xx answers, up to {@code retries}
 * more times, waiting {@code delay} (or, without one, 2 s doubling each time; the answer's
 * Retry-After, in seconds and at most 2 minutes, when a 429 or 503 carries one). Refusals (401, 403, 404) and invalid content are never retried.
 */
record RetryPolicy(int retries, Duration delay) {

    private static final Duration FIRST_DELAY = Duration.ofSeconds(2);
    private static final Duration LONGEST_RETRY_AFTER = Duration.ofMinutes(2);

    static boolean retryable(int status) {
        return status == 408 || status == 429 || (status >= 500 && status != 501 && status != 505);
    }

    /** How long to wait before attempt {@code attempt} (1 for the first retry). */
    Duration wait(int attempt, Response answer) {
        return answer == null ? wait(attempt, 0, null) : wait(attempt, answer.code(), answer.header("Retry-After"));
    }

    /**
     * How long to wait before attempt {@code attempt} after an answer with {@code status} (0: no
     * answer, the connection broke) and the {@code Retry-After} header {@code retryAfter} (null: none).
     */
    Duration wait(int attempt, int status, String retryAfter) {
        if (retryable(status)) {
            Duration asked = retryAfter(retryAfter);
            if (asked != null) {
                return asked;
            }
        }
        if (delay != null) {
            return delay;
        }
        return FIRST_DELAY.multipliedBy(1L << Math.min(attempt - 1, 6));
    }

    private static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            Duration d = Duration.ofSeconds(Long.parseLong(header.strip()));
            return d.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : d;
        } catch (NumberFormatException e) {
            return null; // an HTTP date: fall back to our own delay
        }
    }

    static void sleep(Duration duration) throws InterruptedIOException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
