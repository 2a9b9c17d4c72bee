package hoist.shell;

import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;
import hoist.engine.testing.Command;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Encrypted layers that cannot be decrypted end with one Error: line naming why, and nothing at the destination. */
class EncryptionFailuresTest {

    @TempDir
    static Path shared;

    @TempDir
    Path temp;

    /** oci layout of the four-layer image, every layer encrypted for rsa.pub.pem. */
    private static Path encrypted;

    @BeforeAll
    static void encrypt() {
        Command.run("openssl", "genrsa", "-out", shared.resolve("rsa.pem").toString(), "2048");
        Command.run("openssl", "rsa", "-in", shared.resolve("rsa.pem").toString(), "-pubout", "-out", shared.resolve("rsa.pub.pem").toString());
        Command.run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", shared.resolve("ec.pem").toString());
        encrypted = shared.resolve("encrypted");
        Cli.Run run = new Cli(shared.resolve("store")).run("copy", "-q", "--encryption-key", "jwe:" + shared.resolve("rsa.pub.pem"),
                TestImages.multiLayer(), "oci:" + encrypted + ":img");
        assertEquals(0, run.status(), run::toString);
    }

    private Cli.Run decrypt(Path layout, String key) {
        return new Cli(temp.resolve("store")).run("copy", "-q", "--decryption-key", key, "oci:" + layout + ":img",
                "oci:" + temp.resolve("out") + ":img");
    }

    private void assertFailedWithNothingWritten(Cli.Run run, String expected) {
        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().startsWith("Error: "), run::toString);
        assertEquals(1, run.err().strip().lines().count(), "one line: " + run);
        assertTrue(run.err().contains(expected), run::toString);
        assertFalse(Files.exists(temp.resolve("out").resolve("index.json")), "nothing written: " + run);
    }

    /** A copy of the encrypted layout with the manifest's first layer changed by {@code edit}. */
    private Path tampered(Consumer<ObjectNode> edit) throws IOException {
        Path copy = temp.resolve("tampered");
        try (Stream<Path> files = Files.walk(encrypted)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(encrypted.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        ObjectNode index = (ObjectNode) Json.read(Files.readAllBytes(copy.resolve("index.json")));
        ObjectNode entry = (ObjectNode) index.get("manifests").get(0);
        ObjectNode manifest = (ObjectNode) Json.read(Files.readAllBytes(blob(copy, entry.get("digest").asText())));
        edit.accept((ObjectNode) manifest.get("layers").get(0));
        byte[] bytes = manifest.toString().getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(bytes);
        Files.write(blob(copy, digest.toString()), bytes);
        entry.put("digest", digest.toString());
        entry.put("size", bytes.length);
        Files.writeString(copy.resolve("index.json"), index.toString());
        return copy;
    }

    private static Path blob(Path layout, String digest) {
        return layout.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
    }

    @Test
    void aKeyThatDoesNotFitNamesTheLayer() {
        Cli.Run run = decrypt(encrypted, shared.resolve("ec.pem").toString());
        assertFailedWithNothingWritten(run, "none of the decryption keys given opens it");
        assertTrue(run.err().contains("layer sha256:"), run::toString);
    }

    @Test
    void truncatedCiphertextFailsItsHmac() throws IOException {
        Path layout = tampered(layer -> {
            try {
                byte[] bytes = Files.readAllBytes(blob(encrypted, layer.get("digest").asText()));
                byte[] cut = Arrays.copyOf(bytes, bytes.length - 100);
                Digest digest = Digest.sha256(cut);
                Path dir = temp.resolve("tampered").resolve("blobs").resolve("sha256");
                Files.write(dir.resolve(digest.hex()), cut);
                layer.put("digest", digest.toString());
                layer.put("size", cut.length);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertFailedWithNothingWritten(decrypt(layout, shared.resolve("rsa.pem").toString()), "HMAC");
    }

    @Test
    void aTamperedHmacIsFound() throws IOException {
        Path layout = tampered(layer -> {
            ObjectNode annotations = (ObjectNode) layer.get("annotations");
            byte[] hmac = new byte[32];
            hmac[0] = 1;
            String pubopts = "{\"cipher\":\"AES_256_CTR_HMAC_SHA256\",\"hmac\":\"" + Base64.getEncoder().encodeToString(hmac)
                    + "\",\"cipheroptions\":{}}";
            annotations.put("org.opencontainers.image.enc.pubopts", Base64.getEncoder().encodeToString(pubopts.getBytes(StandardCharsets.UTF_8)));
        });
        assertFailedWithNothingWritten(decrypt(layout, shared.resolve("rsa.pem").toString()), "HMAC");
    }

    @Test
    void aMissingAnnotationIsNamed() throws IOException {
        Path noPubopts = tampered(layer -> ((ObjectNode) layer.get("annotations")).remove("org.opencontainers.image.enc.pubopts"));
        assertFailedWithNothingWritten(decrypt(noPubopts, shared.resolve("rsa.pem").toString()), "org.opencontainers.image.enc.pubopts");
    }

    @Test
    void missingWrappedKeysAreNamed() throws IOException {
        Path noKeys = tampered(layer -> ((ObjectNode) layer.get("annotations")).remove("org.opencontainers.image.enc.keys.jwe"));
        assertFailedWithNothingWritten(decrypt(noKeys, shared.resolve("rsa.pem").toString()), "org.opencontainers.image.enc.keys.");
    }

    @Test
    void badEncryptionKeysAreUsageOrFileErrors() {
        Cli cli = new Cli(temp.resolve("store"));
        String out = "oci:" + temp.resolve("out") + ":img";
        Cli.Run protocol = cli.run("copy", "-q", "--encryption-key", "rot13:x", TestImages.multiLayer(), out);
        assertEquals(2, protocol.status(), protocol::toString);
        assertTrue(protocol.err().contains("unknown protocol \"rot13\""), protocol::toString);
        Cli.Run layerOnly = cli.run("copy", "-q", "--encrypt-layer", "1", TestImages.multiLayer(), out);
        assertEquals(2, layerOnly.status(), layerOnly::toString);
        Cli.Run missing = cli.run("copy", "-q", "--encryption-key", "jwe:" + temp.resolve("nope.pem"), TestImages.multiLayer(), out);
        assertFailedWithNothingWritten(missing, "nope.pem: no such file");
        Cli.Run privateKey = cli.run("copy", "-q", "--encryption-key", "pkcs7:" + shared.resolve("rsa.pem"), TestImages.multiLayer(), out);
        assertFailedWithNothingWritten(privateKey, "not an X.509 certificate");
        Cli.Run schema2 = cli.run("copy", "-q", "--format", "v2s2", "--encryption-key", "jwe:" + shared.resolve("rsa.pub.pem"),
                TestImages.multiLayer(), out);
        assertEquals(2, schema2.status(), schema2::toString);
        assertTrue(schema2.err().contains("need an OCI manifest"), schema2::toString);
    }

    @Test
    void aWrongPasswordIsNamed() throws IOException {
        Path protectedKey = temp.resolve("protected.pem");
        Command.run("openssl", "pkcs8", "-topk8", "-in", shared.resolve("rsa.pem").toString(), "-out", protectedKey.toString(),
                "-passout", "pass:right");
        Files.writeString(temp.resolve("wrong"), "wrong\n");
        assertFailedWithNothingWritten(decrypt(encrypted, protectedKey + ":" + temp.resolve("wrong")), "wrong password");
        assertFailedWithNothingWritten(decrypt(encrypted, protectedKey.toString()), "give its password");
    }

}
