package hoist.engine.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token service for a registry configured with {@code auth.token}: checks Basic credentials
 * and answers with a JWT, signed by a key made for the test, granting the scopes asked for
 * (nothing to anonymous callers). Written for the tests; it counts the tokens it issues.
 */
public final class TokenServer implements AutoCloseable {

    private volatile boolean firstScopeOnly;

    public static final String SERVICE = "hoist-test-registry";
    public static final String ISSUER = "hoist-test-token-server";
    /** The identity (refresh) token the server accepts in an OAuth2 refresh_token grant. */
    public static final String REFRESH_TOKEN = "hoist-test-refresh-token";

    private final HttpServer server;
    private final Path certificate;
    private final AtomicInteger issued = new AtomicInteger();
    private final List<String> tokensGiven = new java.util.concurrent.CopyOnWriteArrayList<>();

    private TokenServer(HttpServer server, Path certificate) {
        this.server = server;
        this.certificate = certificate;
    }

    public static TokenServer start(Path dir, String user, String password) {
        try {
            String d = dir.toString();
            Command.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=hoist token signer",
                    "-keyout", d + "/token.key", "-out", d + "/token.crt");
            PrivateKey key = readKey(dir.resolve("token.key"));
            X509Certificate cert;
            try (InputStream in = Files.newInputStream(dir.resolve("token.crt"))) {
                cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            TokenServer tokens = new TokenServer(server, dir.resolve("token.crt"));
            String expected = "Basic " + java.util.Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(StandardCharsets.UTF_8));
            server.createContext("/token", exchange -> tokens.answer(exchange, expected, key, cert));
            server.start();
            return tokens;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey readKey(Path pem) throws IOException, java.security.GeneralSecurityException {
        String text = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(text)));
    }

    private void answer(HttpExchange exchange, String expectedAuth, PrivateKey key, X509Certificate cert) throws IOException {
        try (exchange) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String query = exchange.getRequestURI().getRawQuery();
            if (exchange.getRequestMethod().equals("POST")) {
                Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                if (!"refresh_token".equals(form.get("grant_type")) || !REFRESH_TOKEN.equals(form.get("refresh_token"))) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                auth = expectedAuth; // the refresh token stands for the user
                query = "scope=" + java.net.URLEncoder.encode(form.getOrDefault("scope", ""), StandardCharsets.UTF_8);
            }
            if (auth != null && !auth.equals(expectedAuth)) {
                byte[] body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"wrong user name or password\"}]}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(401, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            List<Map<String, Object>> access = new ArrayList<>();
            if (auth != null) {
                List<String> asked = scopes(query);
                for (String scope : firstScopeOnly ? asked.subList(0, Math.min(1, asked.size())) : asked) {
                    String[] parts = scope.split(":");
                    if (parts.length == 3 && parts[0].equals("repository")) {
                        access.add(Map.of("type", "repository", "name", parts[1], "actions", List.of(parts[2].split(","))));
                    }
                }
            }
            Date now = new Date();
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject(auth == null ? "" : "ci")
                    .audience(SERVICE).issueTime(now).notBeforeTime(new Date(now.getTime() - 60_000))
                    .expirationTime(new Date(now.getTime() + 300_000)).jwtID(UUID.randomUUID().toString())
                    .claim("access", access).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .x509CertChain(List.of(Base64.encode(cert.getEncoded()))).build(), claims);
            jwt.sign(new RSASSASigner(key));
            issued.incrementAndGet();
            tokensGiven.add(jwt.serialize());
            String field = exchange.getRequestMethod().equals("POST") ? "access_token" : "token";
            byte[] body = ("{\"" + field + "\":\"" + jwt.serialize() + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (JOSEException | java.security.cert.CertificateEncodingException e) {
            throw new IOException(e);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> values = new java.util.HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static List<String> scopes(String query) {
        List<String> scopes = new ArrayList<>();
        if (query == null) {
            return scopes;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("scope=")) {
                scopes.add(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
            }
        }
        return scopes;
    }

    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** The certificate whose key signs the tokens: the registry's rootcertbundle. */
    public Path certificate() {
        return certificate;
    }

    /**
     * From now on grants only the first scope a token is asked for, as a token service does for a
     * user who may push here but not pull from the repository a mount would take the blob from.
     */
    public void grantFirstScopeOnly(boolean value) {
        firstScopeOnly = value;
    }

    public int tokensIssued() {
        return issued.get();
    }

    /** Every token issued so far, as sent (the secrets a client must never print). */
    public List<String> tokens() {
        return List.copyOf(tokensGiven);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
