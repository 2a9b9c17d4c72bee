package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.testing.Command;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Layers hoist encrypts skopeo decrypts, and the other way round, for every key-wrapping scheme
 * ocicrypt has (jwe with RSA and EC keys, pkcs7, pgp); decrypted layers are the original's, byte for byte.
 */
class EncryptionInteropTest {

    @TempDir
    static Path keys;

    @TempDir
    Path temp;

    /** GnuPG's home for the pgp keys, which skopeo finds pgp: recipients in. */
    private static Path gnupg;

    @BeforeAll
    static void makeKeys() throws Exception {
        Command.run("openssl", "genrsa", "-out", keys.resolve("rsa.pem").toString(), "2048");
        Command.run("openssl", "rsa", "-in", keys.resolve("rsa.pem").toString(), "-pubout", "-out", keys.resolve("rsa.pub.pem").toString());
        Command.run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", keys.resolve("ec.pem").toString());
        Command.run("openssl", "pkey", "-in", keys.resolve("ec.pem").toString(), "-pubout", "-out", keys.resolve("ec.pub.pem").toString());
        Command.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=hoist encryption test",
                "-keyout", keys.resolve("cert.key").toString(), "-out", keys.resolve("cert.pem").toString());
        gnupg = Files.createDirectory(keys.resolve("gnupg"), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        gpg("--passphrase", "", "--quick-gen-key", "Hoist Test <hoist@example.com>", "rsa2048", "encr", "never");
        Files.writeString(keys.resolve("pgp.pub.asc"), gpg("--armor", "--export", "hoist@example.com"));
        Command.run(List.of("sh", "-c", "gpg --batch --export-secret-keys hoist@example.com > " + keys.resolve("pgp.sec.gpg")),
                Map.of("GNUPGHOME", gnupg.toString()));
    }

    private static String gpg(String... args) {
        List<String> command = new ArrayList<>(List.of("gpg", "--batch"));
        command.addAll(List.of(args));
        return Command.run(command, Map.of("GNUPGHOME", gnupg.toString()));
    }

    private static String key(String name) {
        return keys.resolve(name).toString();
    }

    /** How hoist and skopeo name one scheme's keys: encryption as hoist takes it, as skopeo takes it, decryption keys. */
    private record Scheme(String hoistRecipient, String skopeoRecipient, List<String> decryptionKeys) {
    }

    private static Scheme scheme(String name) {
        return switch (name) {
            case "jwe-rsa" -> new Scheme("jwe:" + key("rsa.pub.pem"), "jwe:" + key("rsa.pub.pem"), List.of(key("rsa.pem")));
            case "jwe-ec" -> new Scheme("jwe:" + key("ec.pub.pem"), "jwe:" + key("ec.pub.pem"), List.of(key("ec.pem")));
            case "pkcs7" -> new Scheme("pkcs7:" + key("cert.pem"), "pkcs7:" + key("cert.pem"), List.of(key("cert.key"), key("cert.pem")));
            case "pgp" -> new Scheme("pgp:" + key("pgp.pub.asc"), "pgp:hoist@example.com", List.of(key("pgp.sec.gpg")));
            default -> throw new IllegalArgumentException(name);
        };
    }

    private Cli cli() {
        return new Cli(temp.resolve("store"));
    }

    private static void assertSucceeded(Cli.Run run) {
        assertEquals(0, run.status(), run::toString);
    }

    private static void skopeo(String... args) {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "-q"));
        command.addAll(List.of(args));
        Command.run(command, Map.of("GNUPGHOME", gnupg.toString()));
    }

    private static List<String> diffIds(String reference) {
        List<String> ids = new ArrayList<>();
        Skopeo.config(reference).path("rootfs").path("diff_ids").forEach(d -> ids.add(d.asText()));
        return ids;
    }

    private static List<String> mediaTypes(String reference) {
        List<String> types = new ArrayList<>();
        Skopeo.manifest(reference).path("layers").forEach(l -> types.add(l.path("mediaType").asText()));
        return types;
    }

    @ParameterizedTest
    @ValueSource(strings = {"jwe-rsa", "jwe-ec", "pkcs7", "pgp"})
    void skopeoDecryptsWhatHoistEncrypts(String name) {
        Scheme scheme = scheme(name);
        String original = TestImages.multiLayer();
        String encrypted = "oci:" + temp.resolve("hoist-encrypted") + ":img";
        assertSucceeded(cli().run("copy", "-q", "--encryption-key", scheme.hoistRecipient(), original, encrypted));
        mediaTypes(encrypted).forEach(t -> assertTrue(t.endsWith("+encrypted"), t));
        Skopeo.manifest(encrypted).path("layers").forEach(l -> {
            assertTrue(l.path("annotations").has("org.opencontainers.image.enc.keys." + name.replace("-rsa", "").replace("-ec", "")), l::toString);
            assertTrue(l.path("annotations").has("org.opencontainers.image.enc.pubopts"), l::toString);
        });
        assertFalse(Skopeo.layers(original).stream().anyMatch(Skopeo.layers(encrypted)::contains), "every layer encrypted");

        List<String> args = new ArrayList<>();
        scheme.decryptionKeys().forEach(k -> args.addAll(List.of("--decryption-key", k)));
        String decrypted = "oci:" + temp.resolve("skopeo-decrypted") + ":img";
        args.addAll(List.of(encrypted, decrypted));
        skopeo(args.toArray(String[]::new));
        assertEquals(Skopeo.layers(original), Skopeo.layers(decrypted));
        assertEquals(diffIds(original), diffIds(decrypted));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jwe-rsa", "jwe-ec", "pkcs7", "pgp"})
    void hoistDecryptsWhatSkopeoEncrypts(String name) {
        Scheme scheme = scheme(name);
        String original = TestImages.multiLayer();
        String encrypted = "oci:" + temp.resolve("skopeo-encrypted") + ":img";
        skopeo("--encryption-key", scheme.skopeoRecipient(), original, encrypted);
        mediaTypes(encrypted).forEach(t -> assertTrue(t.endsWith("+encrypted"), t));

        List<String> args = new ArrayList<>(List.of("copy", "-q"));
        scheme.decryptionKeys().forEach(k -> args.addAll(List.of("--decryption-key", k)));
        String decrypted = "oci:" + temp.resolve("hoist-decrypted") + ":img";
        args.addAll(List.of(encrypted, decrypted));
        assertSucceeded(cli().run(args.toArray(String[]::new)));
        assertEquals(Skopeo.layers(original), Skopeo.layers(decrypted));
        assertEquals(diffIds(original), diffIds(decrypted));
        assertEquals(Skopeo.manifestDigest(original), Skopeo.manifestDigest(decrypted), "the original manifest, byte for byte");
    }

    @Test
    void aPgpRecipientNamedByItsAddressIsFoundInTheGnupgHomeReadInPlace() {
        String original = TestImages.multiLayer();
        String encrypted = "oci:" + temp.resolve("by-name") + ":img";
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--root", temp.resolve("store").toString(),
                "copy", "-q", "--encryption-key", "pgp:hoist@example.com", original, encrypted));
        Command.Result run = Command.exec(command, Map.of("GNUPGHOME", gnupg.toString()));
        assertEquals(0, run.status(), run::err);
        mediaTypes(encrypted).forEach(t -> assertTrue(t.endsWith("+encrypted"), t));
        String decrypted = "oci:" + temp.resolve("decrypted") + ":img";
        skopeo("--decryption-key", key("pgp.sec.gpg"), encrypted, decrypted);
        assertEquals(Skopeo.layers(original), Skopeo.layers(decrypted));

        command.set(command.indexOf("pgp:hoist@example.com"), "pgp:nobody@example.com");
        Command.Result unknown = Command.exec(command, Map.of("GNUPGHOME", gnupg.toString()));
        assertEquals(1, unknown.status(), unknown::err);
        assertEquals("Error: --encryption-key pgp:nobody@example.com: no key in the GnuPG public keyring for \"nobody@example.com\" "
                + "(nor a key file of that name)", unknown.err().strip());
    }

    @Test
    void encryptLayerCountsFromTheEndAndEncryptedLayersAreLeftAsTheyAre() {
        String original = TestImages.multiLayer();
        String lastOnly = "oci:" + temp.resolve("last") + ":img";
        assertSucceeded(cli().run("copy", "-q", "--encryption-key", "jwe:" + key("rsa.pub.pem"), "--encrypt-layer", "-1",
                original, lastOnly));
        List<String> types = mediaTypes(lastOnly);
        assertEquals(List.of(false, false, false, true), types.stream().map(t -> t.endsWith("+encrypted")).toList());
        assertEquals(Skopeo.layers(original).subList(0, 3), Skopeo.layers(lastOnly).subList(0, 3));

        // encrypting again (the first layer now) leaves the encrypted last layer as it is
        String again = "oci:" + temp.resolve("again") + ":img";
        assertSucceeded(cli().run("copy", "-q", "--encryption-key", "jwe:" + key("ec.pub.pem"), "--encrypt-layer", "0,-1",
                lastOnly, again));
        assertEquals(List.of(true, false, false, true), mediaTypes(again).stream().map(t -> t.endsWith("+encrypted")).toList());
        assertEquals(Skopeo.layers(lastOnly).get(3), Skopeo.layers(again).get(3));
        assertNotEquals(Skopeo.layers(lastOnly).get(0), Skopeo.layers(again).get(0));

        // and both keys together decrypt the lot, in hoist and in skopeo
        String plain = "oci:" + temp.resolve("plain") + ":img";
        assertSucceeded(cli().run("copy", "-q", "--decryption-key", key("rsa.pem"), "--decryption-key", key("ec.pem"), again, plain));
        assertEquals(Skopeo.layers(original), Skopeo.layers(plain));
        String bySkopeo = "oci:" + temp.resolve("by-skopeo") + ":img";
        skopeo("--decryption-key", key("rsa.pem"), "--decryption-key", key("ec.pem"), again, bySkopeo);
        assertEquals(diffIds(original), diffIds(bySkopeo));
    }

    @Test
    void zstdChunkedIsWrittenAsPlainZstdForEncryptedLayersOnly() {
        String original = TestImages.multiLayer();
        String out = "oci:" + temp.resolve("chunked") + ":img";
        assertSucceeded(cli().run("copy", "-q", "--compression-format", "zstd:chunked", "--encryption-key", "jwe:" + key("rsa.pub.pem"),
                "--encrypt-layer", "-1", original, out));
        JsonNode layers = Skopeo.manifest(out).path("layers");
        for (int i = 0; i < layers.size(); i++) {
            JsonNode layer = layers.get(i);
            boolean last = i == layers.size() - 1;
            boolean chunked = layer.path("annotations").has("io.github.containers.zstd-chunked.manifest-checksum");
            assertEquals(last ? "application/vnd.oci.image.layer.v1.tar+zstd+encrypted" : "application/vnd.oci.image.layer.v1.tar+zstd",
                    layer.path("mediaType").asText(), layer::toString);
            assertEquals(!last, chunked, "a table of contents on every plain layer and none on the encrypted one: " + layer);
        }
        String back = "oci:" + temp.resolve("chunked-back") + ":img";
        skopeo("--decryption-key", key("rsa.pem"), out, back);
        assertEquals(diffIds(original), diffIds(back));
    }

    @Test
    void everyDestinationGetsTheSameEncryptedLayers() {
        String original = TestImages.multiLayer();
        String a = "oci:" + temp.resolve("a") + ":img";
        String b = "oci:" + temp.resolve("b") + ":other";
        assertSucceeded(cli().run("copy", "-q", "--encryption-key", "jwe:" + key("rsa.pub.pem"),
                "--encryption-key", "pkcs7:" + key("cert.pem"), original, a, b));
        assertEquals(Skopeo.rawManifest(a), Skopeo.rawManifest(b), "one encryption per layer, shared");
        mediaTypes(a).forEach(t -> assertTrue(t.endsWith("+encrypted"), t));
        JsonNode annotations = Skopeo.manifest(a).path("layers").get(0).path("annotations");
        assertTrue(annotations.has("org.opencontainers.image.enc.keys.jwe") && annotations.has("org.opencontainers.image.enc.keys.pkcs7"),
                annotations::toString);
        String back = "oci:" + temp.resolve("back") + ":img";
        skopeo("--decryption-key", key("cert.key"), "--decryption-key", key("cert.pem"), b, back);
        assertEquals(diffIds(original), diffIds(back));
    }

    @Test
    void pullDecryptsIntoTheStoreWithAPasswordProtectedKey() throws Exception {
        Path protectedKey = temp.resolve("rsa-protected.pem");
        Files.writeString(temp.resolve("password"), "s3cret\n");
        Command.run("openssl", "pkcs8", "-topk8", "-in", key("rsa.pem"), "-out", protectedKey.toString(), "-passout", "pass:s3cret");
        String original = TestImages.multiLayer();
        String encrypted = "oci:" + temp.resolve("enc") + ":img";
        assertSucceeded(cli().run("copy", "-q", "--encryption-key", "jwe:" + key("rsa.pub.pem"), original, encrypted));
        assertSucceeded(cli().run("pull", "-q", "--decryption-key", protectedKey + ":" + temp.resolve("password"), encrypted));
        String out = "oci:" + temp.resolve("out") + ":img";
        assertSucceeded(cli().run("push", "-q", "localhost/img:latest", out));
        assertEquals(diffIds(original), diffIds(out));
        mediaTypes(out).forEach(t -> assertFalse(t.endsWith("+encrypted"), t));
    }
}
