package hoist.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a Kubernetes API server, since no cluster can run in the tests: HTTPS on a
 * loopback port with a certificate for 127.0.0.1 signed by a CA made for the test (openssl),
 * accepting the bearer tokens it was given, and serving one cluster-scoped resource collection
 * ({@code /apis/GROUP/VERSION/RESOURCE}) as the API server does: POST creates (409 AlreadyExists
 * when the name is taken), GET reads (404 NotFound), PUT replaces when the body's
 * {@code metadata.resourceVersion} is the stored one (409 Conflict otherwise). It records every
 * request. Written for the tests.
 */
public final class KubeApiServer implements AutoCloseable {

    /** One request as received. */
    public record Request(String method, String path, String authorization, String clientCertificate, JsonNode body) {
    }

    /** The common name of the client certificate {@link #clientCertificatePem()} holds; the server accepts it. */
    public static final String CLIENT_NAME = "hoist-tester";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpsServer server;
    private final Path dir;
    private final Path caCertificate;
    private final String collection;
    private final Set<String> tokens;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> objects = new ConcurrentHashMap<>();

    private KubeApiServer(HttpsServer server, Path dir, String collection, Set<String> tokens) {
        this.server = server;
        this.dir = dir;
        this.caCertificate = dir.resolve("kube-ca.crt");
        this.collection = collection;
        this.tokens = Set.copyOf(tokens);
    }

    /**
     * Starts serving {@code collection} ({@code /apis/imagehub.sealos.io/v1/images}) to callers
     * bearing one of {@code tokens}; certificates are made in {@code dir}.
     */
    public static KubeApiServer start(Path dir, String collection, Set<String> tokens) {
        try {
            String d = dir.toString();
            Command.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=hoist test kube CA", "-keyout", d + "/kube-ca.key", "-out", d + "/kube-ca.crt");
            Command.run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                    "-keyout", d + "/kube.key", "-out", d + "/kube.csr");
            Files.writeString(dir.resolve("kube-san.ext"), "subjectAltName=IP:127.0.0.1\n");
            Command.run("openssl", "x509", "-req", "-in", d + "/kube.csr", "-CA", d + "/kube-ca.crt", "-CAkey",
                    d + "/kube-ca.key", "-CAcreateserial", "-days", "2", "-extfile", d + "/kube-san.ext", "-out", d + "/kube.crt");
            // a client certificate from the same CA, its key in PKCS#1 as kubeadm writes them
            Command.run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + CLIENT_NAME,
                    "-keyout", d + "/client.p8", "-out", d + "/client.csr");
            Command.run("openssl", "rsa", "-in", d + "/client.p8", "-traditional", "-out", d + "/client.key");
            Command.run("openssl", "x509", "-req", "-in", d + "/client.csr", "-CA", d + "/kube-ca.crt", "-CAkey",
                    d + "/kube-ca.key", "-CAcreateserial", "-days", "2", "-out", d + "/client.crt");
            Command.run("openssl", "pkcs12", "-export", "-in", d + "/kube.crt", "-inkey", d + "/kube.key",
                    "-passout", "pass:hoist", "-out", d + "/kube.p12");
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve("kube.p12"))) {
                store.load(in, "hoist".toCharArray());
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, "hoist".toCharArray());
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            try (InputStream in = Files.newInputStream(dir.resolve("kube-ca.crt"))) {
                trusted.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(com.sun.net.httpserver.HttpsParameters params) {
                    javax.net.ssl.SSLParameters parameters = tls.getDefaultSSLParameters();
                    parameters.setWantClientAuth(true);
                    params.setSSLParameters(parameters);
                }
            });
            KubeApiServer api = new KubeApiServer(server, dir, collection, tokens);
            server.createContext("/", api::handle);
            server.start();
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code https://127.0.0.1:PORT}. */
    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The PEM of the CA that signed the server's certificate. */
    public byte[] caPem() {
        return read(caCertificate);
    }

    /** The PEM of a client certificate the CA signed, for {@link #CLIENT_NAME}. */
    public byte[] clientCertificatePem() {
        return read(dir.resolve("client.crt"));
    }

    /** Its private key, PEM (PKCS#1 {@code RSA PRIVATE KEY}). */
    public byte[] clientKeyPem() {
        return read(dir.resolve("client.key"));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every request so far, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The stored object named {@code name}, or null. */
    public ObjectNode object(String name) {
        return objects.get(name);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String client = clientName(exchange);
            requests.add(new Request(method, path, authorization, client, body.length == 0 ? null : JSON.readTree(body)));
            boolean tokenAccepted = authorization != null && authorization.startsWith("Bearer ")
                    && tokens.contains(authorization.substring("Bearer ".length()));
            if (!tokenAccepted && !CLIENT_NAME.equals(client)) {
                status(exchange, 401, "Unauthorized", "Unauthorized");
                return;
            }
            if (method.equals("POST") && path.equals(collection)) {
                ObjectNode object = (ObjectNode) JSON.readTree(body);
                String name = object.path("metadata").path("name").asText();
                if (objects.containsKey(name)) {
                    status(exchange, 409, "AlreadyExists", "images \"" + name + "\" already exists");
                    return;
                }
                ((ObjectNode) object.path("metadata")).put("resourceVersion", "1");
                objects.put(name, object);
                send(exchange, 201, object);
            } else if (path.startsWith(collection + "/")) {
                String name = path.substring(collection.length() + 1);
                ObjectNode stored = objects.get(name);
                if (stored == null) {
                    status(exchange, 404, "NotFound", "images \"" + name + "\" not found");
                } else if (method.equals("GET")) {
                    send(exchange, 200, stored);
                } else if (method.equals("PUT")) {
                    ObjectNode object = (ObjectNode) JSON.readTree(body);
                    String version = stored.path("metadata").path("resourceVersion").asText();
                    if (!version.equals(object.path("metadata").path("resourceVersion").asText())) {
                        status(exchange, 409, "Conflict", "the object has been modified");
                        return;
                    }
                    ((ObjectNode) object.path("metadata")).put("resourceVersion", String.valueOf(Integer.parseInt(version) + 1));
                    objects.put(name, object);
                    send(exchange, 200, object);
                } else {
                    status(exchange, 405, "MethodNotAllowed", method + " is not allowed");
                }
            } else {
                status(exchange, 404, "NotFound", "the server could not find the requested resource");
            }
        }
    }

    /** The common name of the client's certificate, when it sent one the CA signed. */
    private static String clientName(HttpExchange exchange) {
        try {
            java.security.Principal peer = ((com.sun.net.httpserver.HttpsExchange) exchange).getSSLSession().getPeerPrincipal();
            return new javax.naming.ldap.LdapName(peer.getName()).getRdns().stream()
                    .filter(r -> r.getType().equalsIgnoreCase("CN")).map(r -> r.getValue().toString()).findFirst().orElse(null);
        } catch (javax.net.ssl.SSLPeerUnverifiedException | javax.naming.InvalidNameException e) {
            return null;
        }
    }

    private static void status(HttpExchange exchange, int code, String reason, String message) throws IOException {
        ObjectNode status = JSON.createObjectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.put("status", "Failure");
        status.put("message", message);
        status.put("reason", reason);
        status.put("code", code);
        send(exchange, code, status);
    }

    private static void send(HttpExchange exchange, int code, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** A kubeconfig whose current context reaches this server with {@code token}. */
    public String kubeconfig(String token) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                contexts:
                - name: test
                  context: {cluster: test, user: tester}
                current-context: test
                users:
                - name: tester
                  user:
                    token: %s
                """.formatted(url(), java.util.Base64.getEncoder().encodeToString(caPem()), token);
    }

}
