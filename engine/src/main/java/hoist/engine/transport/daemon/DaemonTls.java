package hoist.engine.transport.daemon;

import hoist.engine.HoistException;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * The TLS settings of a TCP Docker host, from the files the docker client uses in
 * {@code DOCKER_CERT_PATH}: {@code ca.pem} (the daemon's CA; the system CAs when absent),
 * {@code cert.pem} and {@code key.pem} (the client certificate, sent when both exist; the key
 * PEM-encoded PKCS#8, or PKCS#1 RSA as {@code openssl genrsa} of OpenSSL 1.x writes it).
 *
 * @see <a href="https://docs.docker.com/engine/security/protect-access/">Protect the Docker daemon socket</a>
 */
final class DaemonTls {

    private DaemonTls() {
    }

    /** The context for {@code host}; unreadable files are a {@link HoistException} naming the file. */
    static SSLContext context(DockerHost host) {
        Path dir = host.certPath();
        try {
            TrustManager[] trust = host.verifyTls() ? trust(dir.resolve("ca.pem")) : new TrustManager[] {new TrustingAll()};
            KeyManager[] keys = keys(dir.resolve("cert.pem"), dir.resolve("key.pem"));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new HoistException("cannot set up TLS for " + host.describe() + " from " + dir + ": " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trust(Path caFile) throws IOException, GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (!Files.isRegularFile(caFile)) {
            factory.init((KeyStore) null);
            return factory.getTrustManagers();
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate ca : certificates(caFile)) {
            store.setCertificateEntry("ca-" + i++, ca);
        }
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static KeyManager[] keys(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        if (!Files.isRegularFile(certFile) || !Files.isRegularFile(keyFile)) {
            return null;
        }
        List<Certificate> chain = new ArrayList<>(certificates(certFile));
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(certFile + " holds no certificate");
        }
        PrivateKey key = privateKey(keyFile, chain.get(0).getPublicKey().getAlgorithm());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = new char[0];
        store.setKeyEntry("client", key, password, chain.toArray(Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory.getKeyManagers();
    }

    private static Collection<? extends Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
    }

    private static PrivateKey privateKey(Path file, String algorithm) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file);
        if (pem.contains("-----BEGIN PRIVATE KEY-----")) {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY")));
        }
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(rsaPkcs8(der(pem, "RSA PRIVATE KEY"))));
        }
        throw new IllegalArgumentException(file + " is not a PEM PKCS#8 or PKCS#1 RSA private key");
    }

    private static byte[] der(String pem, String label) {
        int start = pem.indexOf("-----BEGIN " + label + "-----");
        int end = pem.indexOf("-----END " + label + "-----", start);
        String body = pem.substring(start + label.length() + 16, end);
        return Base64.getMimeDecoder().decode(body);
    }

    /** Wraps a PKCS#1 RSAPrivateKey in the PKCS#8 PrivateKeyInfo the JDK reads. */
    private static byte[] rsaPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(algorithm);
        body.writeBytes(tlv(0x04, pkcs1));
        return tlv(0x30, body.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    /** DOCKER_TLS without DOCKER_TLS_VERIFY: encrypted, the daemon's certificate not checked. */
    private static final class TrustingAll implements X509TrustManager {
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
    }
}
