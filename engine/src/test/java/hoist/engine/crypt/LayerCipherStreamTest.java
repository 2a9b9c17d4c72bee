package hoist.engine.crypt;

import hoist.engine.HoistException;
import hoist.engine.compress.Compression;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerCipherStreamTest {

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Reads in odd-sized pieces, as consumers do, so chunk boundaries fall everywhere. */
    private static byte[] drain(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[7919];
        int n;
        while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void ciphertextIsAes256CtrAndTheHmacIsOverTheCiphertext() throws Exception {
        byte[] plain = random(300_001, 1);
        LayerCipher keys = LayerCipher.generate();
        EncryptingInputStream encrypting = new EncryptingInputStream(new ByteArrayInputStream(plain), keys);
        byte[] ciphertext = drain(encrypting);

        Cipher reference = Cipher.getInstance("AES/CTR/NoPadding");
        reference.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.key(), "AES"), new IvParameterSpec(keys.nonce()));
        assertArrayEquals(reference.doFinal(plain), ciphertext);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(keys.key(), "HmacSHA256"));
        assertArrayEquals(mac.doFinal(ciphertext), encrypting.hmac());
        assertEquals(Digest.sha256(plain), encrypting.plainDigest());
    }

    @Test
    void decryptingGivesThePlainBytesBackAndChecksHmacAndDigest() throws Exception {
        byte[] plain = random(1 << 20, 2);
        LayerCipher keys = LayerCipher.generate();
        EncryptingInputStream encrypting = new EncryptingInputStream(new ByteArrayInputStream(plain), keys);
        byte[] ciphertext = drain(encrypting);
        byte[] back = drain(new DecryptingInputStream(new ByteArrayInputStream(ciphertext), keys, encrypting.hmac(),
                Digest.sha256(plain), "layer x"));
        assertArrayEquals(plain, back);
    }

    @Test
    void aTamperedByteFailsTheLastReadNamingTheLayer() throws Exception {
        byte[] plain = random(100_000, 3);
        LayerCipher keys = LayerCipher.generate();
        EncryptingInputStream encrypting = new EncryptingInputStream(new ByteArrayInputStream(plain), keys);
        byte[] ciphertext = drain(encrypting);
        ciphertext[5000] ^= 1;
        HoistException e = assertThrows(HoistException.class, () -> drain(new DecryptingInputStream(
                new ByteArrayInputStream(ciphertext), keys, encrypting.hmac(), null, "layer sha256:abc of oci:x")));
        assertTrue(e.getMessage().startsWith("layer sha256:abc of oci:x: the HMAC"), e.getMessage());
    }

    @Test
    void truncatedCiphertextFailsTheLastRead() throws Exception {
        byte[] plain = random(100_000, 4);
        LayerCipher keys = LayerCipher.generate();
        EncryptingInputStream encrypting = new EncryptingInputStream(new ByteArrayInputStream(plain), keys);
        byte[] ciphertext = drain(encrypting);
        byte[] truncated = Arrays.copyOf(ciphertext, ciphertext.length - 1);
        assertThrows(HoistException.class, () -> drain(new DecryptingInputStream(new ByteArrayInputStream(truncated), keys,
                encrypting.hmac(), null, "layer")));
    }

    @Test
    void aWrongPlainDigestFailsEvenWhenTheHmacMatches() throws Exception {
        byte[] plain = random(1000, 5);
        LayerCipher keys = LayerCipher.generate();
        EncryptingInputStream encrypting = new EncryptingInputStream(new ByteArrayInputStream(plain), keys);
        byte[] ciphertext = drain(encrypting);
        HoistException e = assertThrows(HoistException.class, () -> drain(new DecryptingInputStream(
                new ByteArrayInputStream(ciphertext), keys, encrypting.hmac(), Digest.sha256("other"), "layer")));
        assertTrue(e.getMessage().contains("decrypted to " + Digest.sha256(plain)), e.getMessage());
    }

    @Test
    void theSameKeysEncryptTheSameBytesAlike() throws Exception {
        byte[] plain = random(50_000, 6);
        LayerCipher keys = LayerCipher.generate();
        assertArrayEquals(drain(new EncryptingInputStream(new ByteArrayInputStream(plain), keys)),
                drain(new EncryptingInputStream(new ByteArrayInputStream(plain), keys)));
        assertFalse(Arrays.equals(drain(new EncryptingInputStream(new ByteArrayInputStream(plain), keys)),
                drain(new EncryptingInputStream(new ByteArrayInputStream(plain), LayerCipher.generate()))));
    }

    @Test
    void hmacBeforeTheEndIsAnError() {
        EncryptingInputStream encrypting = new EncryptingInputStream(new ByteArrayInputStream(new byte[10]), LayerCipher.generate());
        assertThrows(IllegalStateException.class, encrypting::hmac);
    }

    @Test
    void optionsAreWrittenAsOcicryptWritesThem() throws Exception {
        LayerCipher keys = LayerCipher.generate();
        Digest digest = Digest.sha256("layer");
        byte[] privateJson = CipherOptions.privateJson(new CipherOptions.Private(keys, digest));
        JsonNode p = Json.mapper().readTree(privateJson);
        assertEquals(List.of("symkey", "digest", "cipheroptions"), iterate(p));
        assertArrayEquals(keys.key(), Base64.getDecoder().decode(p.get("symkey").asText()));
        assertArrayEquals(keys.nonce(), Base64.getDecoder().decode(p.get("cipheroptions").get("nonce").asText()));
        assertEquals(digest.toString(), p.get("digest").asText());
        assertEquals(new CipherOptions.Private(keys, digest), CipherOptions.parsePrivate(privateJson, "layer"));

        byte[] hmac = random(32, 7);
        String pubopts = Base64.getEncoder().encodeToString(CipherOptions.publicJson(hmac));
        assertEquals("{\"cipher\":\"AES_256_CTR_HMAC_SHA256\",\"hmac\":\"" + Base64.getEncoder().encodeToString(hmac)
                + "\",\"cipheroptions\":{}}", new String(Base64.getDecoder().decode(pubopts), StandardCharsets.UTF_8));
        assertArrayEquals(hmac, CipherOptions.hmacOf(pubopts, "layer"));
    }

    @Test
    void aMissingOrForeignPuboptsIsAnErrorNamingTheAnnotation() {
        HoistException missing = assertThrows(HoistException.class, () -> CipherOptions.hmacOf(null, "layer sha256:1"));
        assertTrue(missing.getMessage().contains(LayerAnnotations.PUBOPTS), missing.getMessage());
        String other = Base64.getEncoder().encodeToString("{\"cipher\":\"AES_256_GCM\",\"hmac\":\"AA==\"}".getBytes(StandardCharsets.UTF_8));
        HoistException foreign = assertThrows(HoistException.class, () -> CipherOptions.hmacOf(other, "layer"));
        assertTrue(foreign.getMessage().contains("AES_256_GCM"), foreign.getMessage());
    }

    @Test
    void encryptedMediaTypesGainAndLoseTheSuffix() {
        String gzip = "application/vnd.oci.image.layer.v1.tar+gzip";
        assertEquals(gzip + "+encrypted", EncryptedMediaTypes.encrypted(gzip));
        assertEquals(gzip + "+encrypted", EncryptedMediaTypes.encrypted(gzip + "+encrypted"));
        assertEquals(gzip, EncryptedMediaTypes.decrypted(gzip + "+encrypted"));
        assertTrue(EncryptedMediaTypes.isEncrypted("application/vnd.oci.image.layer.v1.tar+zstd+encrypted"));
        assertFalse(EncryptedMediaTypes.isEncrypted(gzip));
    }

    @Test
    void encryptLayerIndicesCountFromTheEndWhenNegative() {
        EncryptionRecipients someone = new EncryptionRecipients(List.of(), List.of(), List.of());
        Descriptor layer = new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", Digest.sha256("x"), 1);
        LayerCrypto last = new LayerCrypto(someone, List.of(-1), null);
        assertEquals(List.of(false, false, true), List.of(last.encryptsLayer(layer, 0, 3), last.encryptsLayer(layer, 1, 3),
                last.encryptsLayer(layer, 2, 3)));
        LayerCrypto firstAndOutside = new LayerCrypto(someone, List.of(0, 7, -9), null);
        assertEquals(List.of(true, false, false), List.of(firstAndOutside.encryptsLayer(layer, 0, 3),
                firstAndOutside.encryptsLayer(layer, 1, 3), firstAndOutside.encryptsLayer(layer, 2, 3)));
        LayerCrypto all = new LayerCrypto(someone, null, null);
        assertTrue(all.encryptsLayer(layer, 1, 3));
        Descriptor encrypted = layer.withMediaType(EncryptedMediaTypes.encrypted(layer.mediaType()));
        assertFalse(all.encryptsLayer(encrypted, 0, 1), "a layer already encrypted is left as it is");
        assertFalse(LayerCrypto.NONE.encryptsLayer(layer, 0, 1));
    }

    @Test
    void encryptedLayersKeepTheirCompression() {
        assertEquals(Compression.ZSTD, LayerCrypto.compressionWhenEncrypted(Compression.ZSTD));
        assertEquals(Compression.GZIP, LayerCrypto.compressionWhenEncrypted(Compression.GZIP));
        assertNull(LayerCrypto.compressionWhenEncrypted(null));
    }

    private static List<String> iterate(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
