package hoist.engine.transport.registry;

import hoist.engine.HoistException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.net.ConnectException;
import javax.net.ssl.SSLException;

/**
 * Where one repository's API answers: the registry's {@code /v2/} root (https, or plain http when
 * TLS verification is off and https fails) and the repository's path under it. Knows how to make
 * the URLs of the API's calls; sends nothing itself once found.
 *
 * @param what       the reference the user gave, for messages
 * @param base       the API root that answered, {@code https://HOST/v2/} or {@code http://HOST/v2/}
 * @param repository the repository's path ({@code team/app}); empty for calls on the registry itself
 * @param signatureExtension whether the API root answered with {@code X-Registry-Supports-Signatures: 1}: the
 *                           registry keeps simple signatures itself, under {@code /extensions/v2/NAME/signatures/DIGEST}
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#api">OCI distribution spec: API</a>
 */
record RegistryEndpoint(String what, HttpUrl base, String repository, boolean signatureExtension) {

    /** Where the API answered, found by {@link #probe}: the root, and whether it offers the signature extension. */
    record Root(HttpUrl base, boolean signatureExtension) {
    }

    /** An endpoint at {@code root}. */
    RegistryEndpoint(String what, Root root, String repository) {
        this(what, root.base(), repository, root.signatureExtension());
    }

    /** Docker Hub's API lives on its own host. */
    static String apiHost(String registry) {
        return registry.equals("docker.io") ? "registry-1.docker.io" : registry;
    }

    /**
     * Finds the API root of {@code host}: https, or plain http when {@code verify} is false and
     * https fails to connect or to shake hands. With {@code verify} false and an explicit port,
     * plain http is tried first and https after it. A registry that refuses connections, resets them or
     * does not answer in time is tried again as {@code retry} says (it may be starting).
     *
     * @throws HoistException naming the host and the failure (the last one) when no root answers,
     *                        or when what answers is not a registry (neither 2xx nor 401 on {@code /v2/})
     * @return the root, and whether it says {@code X-Registry-Supports-Signatures: 1} (OpenShift's registry does)
     * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#determining-support">OCI distribution spec: determining support</a>
     * @see <a href="https://github.com/containers/image/blob/main/docs/signature-protocols.md">containers/image signature access protocols</a>
     */
    static Root probe(String what, String host, OkHttpClient http, boolean verify, RetryPolicy retry) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return pingOnce(host, http, verify);
            } catch (IOException e) {
                if (attempt >= retry.retries() || !NetworkFailure.retryable(e) || Thread.currentThread().isInterrupted()) {
                    throw new HoistException(what + ": " + NetworkFailure.describe(host, e)
                            + (attempt > 0 ? " (tried " + (attempt + 1) + " times)" : "")
                            + (e instanceof SSLException && !NetworkFailure.brokenHandshake(e)
                                    ? "; for a registry without TLS use --tls-verify=false" : ""), e);
                }
                RetryPolicy.sleep(retry.wait(attempt + 1, null));
            }
        }
    }

    private static Root pingOnce(String host, OkHttpClient http, boolean verify) throws IOException {
        HttpUrl https = HttpUrl.get("https://" + host + "/v2/");
        HttpUrl plain = HttpUrl.get("http://" + host + "/v2/");
        if (!verify && hasPort(host)) {
            // One port speaks one protocol, so the order only decides what the first try costs: plain
            // http first spares the TLS handshake with a registry that has no TLS; a TLS port
            // answers the plain request with an error (or hangs up) and https follows. The API
            // root asks for no credentials, so none go out in the clear.
            try {
                return new Root(plain, check(http, plain));
            } catch (IOException | HoistException plainFailure) {
                try {
                    return new Root(https, check(http, https));
                } catch (IOException tlsFailure) {
                    if (plainFailure instanceof HoistException notARegistry) {
                        throw notARegistry; // it speaks http, but not as a registry
                    }
                    throw tlsFailure;
                }
            }
        }
        try {
            return new Root(https, check(http, https));
        } catch (SSLException | ConnectException e) {
            if (verify) {
                throw e;
            }
        }
        return new Root(plain, check(http, plain));
    }

    /** Whether {@code host} names its port ({@code HOST:PORT}, {@code [V6]:PORT}). */
    private static boolean hasPort(String host) {
        int colon = host.lastIndexOf(':');
        return colon > host.lastIndexOf(']');
    }

    /** Whether the registry at {@code url} offers the signature extension; throws when it is no registry. */
    private static boolean check(OkHttpClient http, HttpUrl url) throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
            if (!response.isSuccessful() && response.code() != 401) {
                throw new HoistException(url + " is not a registry: HTTP " + response.code());
            }
            return "1".equals(response.header("X-Registry-Supports-Signatures"));
        }
    }

    /** {@code /extensions/v2/REPOSITORY/signatures/DIGEST}: the signature extension's URL for one manifest. */
    HttpUrl signaturesUrl(String digest) {
        HttpUrl.Builder url = base.newBuilder().encodedPath("/extensions/v2/");
        for (String segment : repository.split("/")) {
            url.addPathSegment(segment);
        }
        return url.addPathSegment("signatures").addPathSegment(digest).build();
    }

    /** {@code HOST:PORT} of the API, for messages about the network. */
    String hostAndPort() {
        return base.host() + ":" + base.port();
    }

    /** {@code /v2/REPOSITORY/PATH...}: the URL of one API call on the repository. */
    HttpUrl.Builder url(String... path) {
        HttpUrl.Builder url = base.newBuilder();
        for (String segment : repository.split("/")) {
            url.addPathSegment(segment);
        }
        for (String segment : path) {
            url.addPathSegment(segment);
        }
        return url;
    }

    /**
     * A {@code Location} or {@code Link} header's URL, absolute or relative to the registry.
     *
     * @throws HoistException when the header is not a usable URL
     */
    HttpUrl resolve(String location) {
        HttpUrl resolved = base.resolve(location);
        if (resolved == null) {
            throw new HoistException(what + ": the registry gave an unusable location \"" + location + "\"");
        }
        return resolved;
    }
}
