package hoist.engine.transport.registry;

import hoist.engine.HoistException;
import okhttp3.OkHttpClient;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * The HTTP client for one registry host: TLS verified against the system's CAs plus the
 * {@code *.crt} files of the host's certificate directory, a client certificate from its
 * {@code *.cert}/{@code *.key} pair, or no verification at all with {@code --tls-verify=false}.
 */
final class RegistryHttp {

    private RegistryHttp() {
    }

    /**
     * The settings every client shares. A builder, not a built client: building one without TLS
     * settings of our own loads the system's trust store, which --tls-verify=false never needs.
     */
    private static OkHttpClient.Builder configured() {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(30))
                .readTimeout(Duration.ofMinutes(5))
                .writeTimeout(Duration.ofMinutes(5))
                .retryOnConnectionFailure(false);
    }

    /** The client for {@code host}; {@code certDir} null searches the certs.d directories. */
    static OkHttpClient client(String host, boolean verify, Path certDir) {
        try {
            Path dir = certDir != null ? certDir : certsD(host);
            if (!verify) {
                return withTls(insecureTrust(), keyManagers(dir)).hostnameVerifier((h, s) -> true).build();
            }
            if (dir == null) {
                return configured().build();
            }
            return withTls(trustWithExtraCas(dir), keyManagers(dir)).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new HoistException("certificates for " + host + " could not be loaded: " + e.getMessage(), e);
        }
    }

    private static OkHttpClient.Builder withTls(X509TrustManager trust, KeyManager[] keys) {
        return configured().sslSocketFactory(new LazyTls(trust, keys), trust);
    }

    /**
     * The TLS socket factory of a client, made on the first TLS connection: a registry reached
     * over plain http (with {@code --tls-verify=false}) never pays for setting up TLS.
     */
    private static final class LazyTls extends SSLSocketFactory {
        private final X509TrustManager trust;
        private final KeyManager[] keys;
        private volatile SSLSocketFactory made;

        LazyTls(X509TrustManager trust, KeyManager[] keys) {
            this.trust = trust;
            this.keys = keys;
        }

        private SSLSocketFactory factory() {
            SSLSocketFactory factory = made;
            if (factory == null) {
                synchronized (this) {
                    if (made == null) {
                        try {
                            SSLContext context = SSLContext.getInstance("TLS");
                            context.init(keys, new TrustManager[] {trust}, null);
                            made = context.getSocketFactory();
                        } catch (GeneralSecurityException e) {
                            throw new HoistException("TLS could not be set up: " + e.getMessage(), e);
                        }
                    }
                    factory = made;
                }
            }
            return factory;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return factory().getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return factory().getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            return factory().createSocket(socket, host, port, autoClose);
        }

        @Override
        public Socket createSocket() throws IOException {
            return factory().createSocket();
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return factory().createSocket(host, port);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return factory().createSocket(host, port, local, localPort);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return factory().createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort) throws IOException {
            return factory().createSocket(address, port, local, localPort);
        }
    }

    /** The first of the certs.d directories for {@code host} that exists, as containers-image searches them. */
    static Path certsD(String host) {
        List<Path> roots = List.of(Path.of("/etc/containers/certs.d"),
                Path.of(System.getProperty("user.home"), ".config", "containers", "certs.d"),
                Path.of("/etc/docker/certs.d"));
        for (Path root : roots) {
            Path dir = root.resolve(host);
            if (Files.isDirectory(dir)) {
                return dir;
            }
        }
        return null;
    }

    private static X509TrustManager trustWithExtraCas(Path dir) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int n = 0;
        for (X509Certificate ca : systemCas()) {
            store.setCertificateEntry("system-" + n++, ca);
        }
        for (Path file : files(dir, ".crt")) {
            for (Certificate cert : readCertificates(file)) {
                store.setCertificateEntry("extra-" + n++, cert);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    private static X509Certificate[] systemCas() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        return ((X509TrustManager) factory.getTrustManagers()[0]).getAcceptedIssuers();
    }

    /** {@code NAME.cert} with {@code NAME.key} (PKCS#8 PEM) in the directory: the client's identity. */
    private static KeyManager[] keyManagers(Path dir) throws IOException, GeneralSecurityException {
        if (dir == null) {
            return null;
        }
        for (Path cert : files(dir, ".cert")) {
            String name = cert.getFileName().toString();
            Path key = cert.resolveSibling(name.substring(0, name.length() - ".cert".length()) + ".key");
            if (!Files.isRegularFile(key)) {
                throw new HoistException(cert + " has no matching " + key.getFileName());
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            Collection<? extends Certificate> chain = readCertificates(cert);
            store.setKeyEntry("client", readKey(key, chain.iterator().next()), new char[0], chain.toArray(Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, new char[0]);
            return factory.getKeyManagers();
        }
        return null;
    }

    private static PrivateKey readKey(Path file, Certificate cert) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new HoistException(file + ": only PKCS#8 keys (BEGIN PRIVATE KEY) are read; convert with "
                    + "openssl pkcs8 -topk8 -nocrypt");
        }
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(base64);
        return KeyFactory.getInstance(cert.getPublicKey().getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    private static Collection<? extends Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return new ArrayList<>(list.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList());
        }
    }

    private static X509TrustManager insecureTrust() {
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // --tls-verify=false: the user chose not to verify this registry
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }
}
