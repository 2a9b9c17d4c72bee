package hoist.engine.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hoist.engine.HoistException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;

/**
 * A client of one Kubernetes API server, as a kubeconfig's current context describes it: HTTPS
 * trusting the context's CA (only it, as client-go does, when one is given), authenticated by the
 * user's bearer token, client certificate or Basic credentials. It reads, creates and replaces
 * objects by their API path; the body of each is a JSON object.
 *
 * @see <a href="https://kubernetes.io/docs/reference/using-api/api-concepts/">Kubernetes API concepts</a>
 */
public final class KubeApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final KubeConfig config;
    private final OkHttpClient http;
    private final String server;

    private KubeApi(KubeConfig config, OkHttpClient http) {
        this.config = config;
        this.http = http;
        this.server = config.cluster().server().replaceAll("/+$", "");
    }

    /**
     * A client for {@code config}'s current context.
     *
     * @throws HoistException naming the kubeconfig when its CA, client certificate or key cannot be used
     */
    public static KubeApi open(KubeConfig config) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(15))
                .readTimeout(Duration.ofSeconds(60));
        try {
            X509TrustManager trust = trust(config.cluster());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys(config.user()), new TrustManager[] {trust}, null);
            builder.sslSocketFactory(tls.getSocketFactory(), trust);
            if (config.cluster().insecureSkipTlsVerify()) {
                builder.hostnameVerifier((host, session) -> true);
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new HoistException("the kubeconfig " + config.file() + ": cannot use its certificates for context \""
                    + config.context() + "\": " + HoistException.describe(e), e);
        }
        return new KubeApi(config, builder.build());
    }

    /** The API server's URL, without a trailing slash. */
    public String server() {
        return server;
    }

    /**
     * {@code GET path}: the object, or empty when the server answers 404.
     *
     * @param path the API path, from {@code /} ({@code /apis/GROUP/VERSION/RESOURCE/NAME})
     * @throws HoistException when the server cannot be reached or answers another error
     */
    public Optional<JsonNode> get(String path) {
        Request request = authorized(path).get().build();
        return call(request, true);
    }

    /**
     * {@code POST path} with {@code object}: creates it. Empty when it exists already (409), the
     * object the server stored otherwise.
     *
     * @throws HoistException when the server cannot be reached or answers another error
     */
    public Optional<JsonNode> create(String path, JsonNode object) {
        Request request = authorized(path).post(body(object)).build();
        return call(request, false);
    }

    /**
     * {@code PUT path} with {@code object}, which carries the {@code metadata.resourceVersion} it
     * replaces: the object the server stored.
     *
     * @throws HoistException when the server cannot be reached or answers an error (409: changed meanwhile)
     */
    public JsonNode replace(String path, JsonNode object) {
        Request request = authorized(path).put(body(object)).build();
        return call(request, false).orElseThrow(() -> new HoistException(describe(request)
                + ": the object was changed by someone else meanwhile (409 Conflict)"));
    }

    private static RequestBody body(JsonNode object) {
        try {
            return RequestBody.create(JSON.writeValueAsBytes(object), JSON_TYPE);
        } catch (IOException e) {
            throw new HoistException("cannot write " + e.getMessage(), e);
        }
    }

    private Request.Builder authorized(String path) {
        Request.Builder request = new Request.Builder().url(server + path).header("Accept", "application/json");
        KubeConfig.User user = config.user();
        if (user.token() != null) {
            request.header("Authorization", "Bearer " + user.token());
        } else if (user.username() != null) {
            request.header("Authorization", okhttp3.Credentials.basic(user.username(),
                    user.password() == null ? "" : user.password(), StandardCharsets.UTF_8));
        }
        return request;
    }

    /** The answer's object; empty for 404 when {@code notFoundIsEmpty}, or for 409 otherwise. */
    private Optional<JsonNode> call(Request request, boolean notFoundIsEmpty) {
        try (Response response = http.newCall(request).execute()) {
            byte[] bytes = response.body() == null ? new byte[0] : response.body().bytes();
            if (response.isSuccessful()) {
                return Optional.of(JSON.readTree(bytes));
            }
            if ((notFoundIsEmpty && response.code() == 404) || (!notFoundIsEmpty && response.code() == 409)) {
                return Optional.empty();
            }
            throw new HoistException(describe(request) + ": " + response.code() + " " + statusMessage(bytes, response));
        } catch (IOException e) {
            throw new HoistException(describe(request) + ": " + HoistException.describe(e), e);
        }
    }

    private String describe(Request request) {
        return "Kubernetes API " + server + " (kubeconfig context \"" + config.context() + "\"): " + request.method()
                + " " + request.url().encodedPath();
    }

    /** The {@code Status} object's message the API server sends with an error, else the reason phrase. */
    private static String statusMessage(byte[] body, Response response) {
        try {
            String message = JSON.readTree(body).path("message").asText("");
            if (!message.isEmpty()) {
                return message.lines().findFirst().orElse(message);
            }
        } catch (IOException e) {
            // not a Status object: the reason phrase says enough
        }
        return response.message();
    }

    private static X509TrustManager trust(KubeConfig.Cluster cluster) throws GeneralSecurityException, IOException {
        if (cluster.insecureSkipTlsVerify()) {
            return new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            };
        }
        KeyStore store = null;
        if (cluster.certificateAuthority() != null) {
            store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate cert : certificates(cluster.certificateAuthority())) {
                store.setCertificateEntry("ca" + i++, cert);
            }
            if (i == 0) {
                throw new GeneralSecurityException("the certificate authority holds no certificate");
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    private static KeyManager[] keys(KubeConfig.User user) throws GeneralSecurityException, IOException {
        if (user.clientCertificate() == null || user.clientKey() == null) {
            return null;
        }
        Certificate[] chain = certificates(user.clientCertificate()).toArray(Certificate[]::new);
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        char[] none = new char[0];
        store.setKeyEntry("client", privateKey(user.clientKey()), none, chain);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, none);
        return factory.getKeyManagers();
    }

    private static java.util.Collection<? extends Certificate> certificates(byte[] pem) throws GeneralSecurityException {
        return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
    }

    /** PKCS#8, PKCS#1 RSA or SEC1 EC, as kubeconfigs carry them. */
    private static PrivateKey privateKey(byte[] pem) throws IOException, GeneralSecurityException {
        try (PEMParser parser = new PEMParser(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new GeneralSecurityException("the client key is not an unencrypted PEM private key");
        }
    }
}
