package hoist.engine.transport.registry;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.auth.Credentials;
import hoist.engine.image.Json;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authorization for one registry: learns the scheme from the registry's challenge, sends Basic
 * credentials, or fetches Bearer tokens from the token service (with the credentials, or by
 * refresh token for an identity token) and keeps them per scope until they are refused.
 */
final class RegistryAuth {

    private final String registry;
    private final OkHttpClient http;
    private final Optional<Credentials> credentials;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private volatile Challenge challenge;

    RegistryAuth(String registry, OkHttpClient http, Optional<Credentials> credentials) {
        this.registry = registry;
        this.http = http;
        this.credentials = credentials;
    }

    /** The Authorization header for a request needing {@code scope}, if one is known yet. */
    Optional<String> header(String scope) {
        Challenge c = challenge;
        if (c == null) {
            return Optional.empty();
        }
        if (c.isBasic()) {
            return credentials.filter(cr -> !cr.isIdentityToken()).map(cr -> "Basic " + cr.basicToken());
        }
        return Optional.ofNullable(tokens.get(scope)).map(t -> "Bearer " + t);
    }

    /**
     * Answers a 401: learns the challenge and, for Bearer, fetches a token for {@code scope} unless
     * another request already did. Returns whether a retry would carry different authorization
     * than the refused request did (false: the credentials themselves were refused, or none exist).
     */
    boolean answer(Response unauthorized, String scope) throws IOException {
        String header = unauthorized.header("WWW-Authenticate");
        if (header == null) {
            return false;
        }
        Challenge c = Challenge.parse(header);
        challenge = c;
        String sent = unauthorized.request().header("Authorization");
        if (c.isBearer()) {
            synchronized (this) {
                String cached = tokens.get(scope);
                if (cached == null || ("Bearer " + cached).equals(sent)) {
                    fetchToken(c, scope);
                }
            }
        } else if (!c.isBasic()) {
            return false;
        }
        Optional<String> now = header(scope);
        return now.isPresent() && !now.get().equals(sent);
    }

    private String fetchToken(Challenge c, String scope) throws IOException {
        String realm = c.parameters().get("realm");
        if (realm == null) {
            throw new RegistryException(registry + ": the registry's Bearer challenge names no realm", 401);
        }
        HttpUrl realmUrl = HttpUrl.parse(realm);
        if (realmUrl == null) {
            throw new RegistryException(registry + ": the token service address \"" + realm + "\" is not a URL", 401);
        }
        String service = c.parameters().getOrDefault("service", "");
        Request request = credentials.filter(Credentials::isIdentityToken)
                .map(identity -> refreshTokenRequest(realmUrl, service, scope, identity))
                .orElseGet(() -> tokenRequest(realmUrl, service, scope));
        String realmHost = realmUrl.host() + ":" + realmUrl.port();
        Response answer;
        try {
            answer = http.newCall(request).execute();
        } catch (IOException e) {
            throw NetworkFailure.atTokenService(realmHost, e);
        }
        try (Response response = answer) {
            if (RetryPolicy.retryable(response.code())) {
                // an overloaded or restarting token service: the request is tried again as any other
                String detail = RegistryException.from(response, registry).getMessage().substring(registry.length() + 2);
                throw new NetworkFailure.Described("the token service at " + realmHost + " answered: " + detail, null, true);
            }
            if (!response.isSuccessful()) {
                Optional<String> user = RegistryException.refusedUser(response);
                if (user.isPresent() && (response.code() == 401 || response.code() == 403)) {
                    throw new RegistryException(registry + ": the token service refused the credentials of user \""
                            + user.get() + "\"; check the password (--creds, or hoist login)", response.code());
                }
                throw RegistryException.from(response, registry + ": the token service refused "
                        + (credentials.isPresent() ? "the credentials" : "anonymous access"));
            }
            byte[] bytes;
            try {
                bytes = response.body().bytes();
            } catch (IOException e) {
                throw NetworkFailure.atTokenService(realmHost, e);
            }
            JsonNode body;
            try {
                body = Json.read(bytes);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new hoist.engine.HoistException(registry + ": the token service's answer is not valid JSON: " + Json.problem(e));
            }
            String token = body.path("token").asText(body.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw new RegistryException(registry + ": the token service answered without a token", 401);
            }
            tokens.put(scope, token);
            return token;
        }
    }

    private Request tokenRequest(HttpUrl realm, String service, String scope) {
        HttpUrl.Builder url = realm.newBuilder();
        if (!service.isEmpty()) {
            url.addQueryParameter("service", service);
        }
        for (String s : scope.split(" ")) {
            if (!s.isEmpty()) {
                url.addQueryParameter("scope", s);
            }
        }
        Request.Builder request = new Request.Builder().url(url.build());
        credentials.ifPresent(cr -> request.header("Authorization", "Basic " + cr.basicToken()));
        return request.build();
    }

    /** OAuth2 refresh-token grant, as docker does with an identity token. */
    private static Request refreshTokenRequest(HttpUrl realm, String service, String scope, Credentials identity) {
        FormBody form = new FormBody.Builder().add("grant_type", "refresh_token").add("refresh_token", identity.secret())
                .add("service", service).add("scope", scope).add("client_id", "hoist").build();
        return new Request.Builder().url(realm).post(form).build();
    }
}
