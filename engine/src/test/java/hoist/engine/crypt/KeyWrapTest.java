package hoist.engine.crypt;

import hoist.engine.HoistException;
import hoist.engine.image.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.RSAKey;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layer key wrapped for jwe and pkcs7 recipients is unwrapped by their private keys, and by no other. */
class KeyWrapTest {

    @TempDir
    Path temp;

    private static final byte[] OPTIONS = "{\"symkey\":\"a2V5\",\"digest\":\"sha256:00\",\"cipheroptions\":{}}"
            .getBytes(StandardCharsets.UTF_8);

    private Path pem(String name, Object... objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                // private keys as PKCS#8, as openssl genpkey writes them
                writer.writeObject(o instanceof java.security.PrivateKey key
                        ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : o);
            }
        }
        Path file = temp.resolve(name);
        Files.writeString(file, text.toString());
        return file;
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static JsonNode jweHeader(String annotation) throws IOException {
        JsonNode jwe = Json.read(Base64.getDecoder().decode(annotation));
        return Json.read(Base64.getUrlDecoder().decode(jwe.get("protected").asText()));
    }

    @Test
    void jweWrapsForRsaWithRsaOaepAndForEcWithEcdhEs() throws Exception {
        KeyPair rsa = rsa();
        KeyPair ec = ec();
        Path rsaPub = pem("rsa.pub.pem", rsa.getPublic());
        Path ecPub = pem("ec.pub.pem", ec.getPublic());
        Map<String, String> annotations = EncryptionRecipients.parse(List.of("jwe:" + rsaPub, "jwe:" + ecPub)).wrap(OPTIONS);
        String packets = annotations.get("org.opencontainers.image.enc.keys.jwe");
        String[] each = packets.split(",");
        assertEquals(2, each.length, packets);
        assertEquals("RSA-OAEP", jweHeader(each[0]).get("alg").asText());
        assertEquals("A256GCM", jweHeader(each[0]).get("enc").asText());
        assertEquals("ECDH-ES+A256KW", jweHeader(each[1]).get("alg").asText());

        Path rsaKey = pem("rsa.pem", rsa.getPrivate());
        Path ecKey = pem("ec.pem", ec.getPrivate());
        assertArrayEquals(OPTIONS, DecryptionKeys.parse(List.of(rsaKey.toString())).unwrap(annotations, "layer"));
        assertArrayEquals(OPTIONS, DecryptionKeys.parse(List.of(ecKey.toString())).unwrap(annotations, "layer"));

        Path otherKey = pem("other.pem", rsa().getPrivate());
        HoistException e = assertThrows(HoistException.class,
                () -> DecryptionKeys.parse(List.of(otherKey.toString())).unwrap(annotations, "layer sha256:1 of oci:x"));
        assertTrue(e.getMessage().startsWith("layer sha256:1 of oci:x: none of the decryption keys"), e.getMessage());
    }

    @Test
    void jweTakesAJwkPublicKeyAndItsAlgorithm() throws Exception {
        KeyPair rsa = rsa();
        Path jwk = temp.resolve("rsa.jwk");
        Files.writeString(jwk, new RSAKey.Builder((RSAPublicKey) rsa.getPublic())
                .algorithm(com.nimbusds.jose.JWEAlgorithm.RSA_OAEP_256).build().toJSONString());
        Map<String, String> annotations = EncryptionRecipients.parse(List.of("jwe:" + jwk)).wrap(OPTIONS);
        assertEquals("RSA-OAEP-256", jweHeader(annotations.get("org.opencontainers.image.enc.keys.jwe")).get("alg").asText());
        Path key = pem("rsa.pem", rsa.getPrivate());
        assertArrayEquals(OPTIONS, DecryptionKeys.parse(List.of(key.toString())).unwrap(annotations, "layer"));
    }

    @Test
    void pkcs7WrapsForCertificatesAndMatchesRecipientsBySerialNumber() throws Exception {
        KeyPair one = rsa();
        KeyPair two = rsa();
        Path certOne = pem("one.crt", selfSigned(one, 1));
        Path certTwo = pem("two.crt", selfSigned(two, 2));
        Map<String, String> annotations = EncryptionRecipients.parse(List.of("pkcs7:" + certOne, "pkcs7:" + certTwo)).wrap(OPTIONS);
        assertEquals(1, annotations.size(), "one envelope for both: " + annotations);
        Path keyTwo = pem("two.pem", two.getPrivate());
        assertArrayEquals(OPTIONS, DecryptionKeys.parse(List.of(keyTwo.toString(), certTwo.toString())).unwrap(annotations, "layer"));
        assertArrayEquals(OPTIONS, DecryptionKeys.parse(List.of(keyTwo.toString())).unwrap(annotations, "layer"));
        Path keyOther = pem("other.pem", rsa().getPrivate());
        assertThrows(HoistException.class, () -> DecryptionKeys.parse(List.of(keyOther.toString())).unwrap(annotations, "layer"));
    }

    @Test
    void aFileWithNoKeyIsNamed() throws IOException {
        Path text = temp.resolve("notes.txt");
        Files.writeString(text, "hello");
        HoistException e = assertThrows(HoistException.class, () -> DecryptionKeys.parse(List.of(text.toString())));
        assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
        HoistException pub = assertThrows(HoistException.class, () -> EncryptionRecipients.parse(List.of("jwe:" + text)));
        assertTrue(pub.getMessage().contains("not a public key"), pub.getMessage());
    }

    private static org.bouncycastle.cert.X509CertificateHolder selfSigned(KeyPair pair, long serial) throws Exception {
        org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=test " + serial);
        java.util.Date now = new java.util.Date();
        return new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.valueOf(serial), now,
                new java.util.Date(now.getTime() + 86_400_000L), name, pair.getPublic())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
    }
}
