package hoist.engine.transport.registry;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.time.Duration;

/**
 * Sends the requests of one repository's client: each carries the authorization its scope needs,
 * answers one 401 challenge (fetching a token for the scope), and a request whose body can be sent
 * again is retried after a broken connection or a retryable answer (408, 429, 5xx) as the
 * {@link RetryPolicy} says. Knows nothing of what the calls mean.
 *
 * @see <a href="https://distribution.github.io/distribution/spec/auth/token/">Docker registry token authentication</a>
 */
final class RegistryCaller {

    private final RegistryEndpoint endpoint;
    private final OkHttpClient http;
    private final RegistryAuth auth;
    private final RetryPolicy retry;

    RegistryCaller(RegistryEndpoint endpoint, OkHttpClient http, RegistryAuth auth, RetryPolicy retry) {
        this.endpoint = endpoint;
        this.http = http;
        this.auth = auth;
        this.retry = retry;
    }

    RetryPolicy retry() {
        return retry;
    }

    /**
     * Sends {@code request} with authorization for {@code scope} (space-separated
     * {@code repository:NAME:ACTIONS} items). With {@code replayable}, broken connections and
     * retryable answers are tried again and one 401 challenge is answered; the last answer is
     * returned whatever its status. Without it (a body that streams once), the request is sent once.
     *
     * @return the answer, which the caller closes
     * @throws IOException the connection's failure, in words naming the host, after the retries
     */
    Response send(Request request, String scope, boolean replayable) throws IOException {
        if (!replayable) {
            return sendOnce(request, scope, false);
        }
        for (int attempt = 0; ; attempt++) {
            Response response;
            try {
                response = sendOnce(request, scope, true);
            } catch (IOException e) {
                if (attempt >= retry.retries() || !NetworkFailure.retryable(e) || Thread.currentThread().isInterrupted()) {
                    throw NetworkFailure.wrap(endpoint.hostAndPort(), e, attempt + 1);
                }
                RetryPolicy.sleep(retry.wait(attempt + 1, null));
                continue;
            }
            if (!RetryPolicy.retryable(response.code()) || attempt >= retry.retries()) {
                return response;
            }
            Duration wait = retry.wait(attempt + 1, response);
            response.close();
            RetryPolicy.sleep(wait);
        }
    }

    /** One attempt; a replayable request answers one 401 challenge. The raw failure is thrown. */
    private Response sendOnce(Request request, String scope, boolean replayable) throws IOException {
        Response response = http.newCall(authorized(request, scope)).execute();
        if (response.code() == 401 && replayable) {
            boolean again = auth.answer(response, scope);
            if (again) {
                response.close();
                response = http.newCall(authorized(request, scope)).execute();
            }
        }
        return response;
    }

    private Request authorized(Request request, String scope) {
        return auth.header(scope).map(h -> request.newBuilder().header("Authorization", h).build()).orElse(request);
    }

    /**
     * Learns from a 401 that a request sent once (a streamed body) met: the next request for
     * {@code scope} carries fresh authorization. Returns whether it differs from what was refused.
     */
    boolean reauthorize(Response unauthorized, String scope) throws IOException {
        return auth.answer(unauthorized, scope);
    }
}
