package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hoist.engine.testing.Buildah;
import hoist.engine.testing.Command;
import hoist.engine.testing.CosignKeys;
import hoist.engine.testing.GnupgHome;
import hoist.engine.testing.Registry;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where signatures are kept and how they travel: every instance of a list signed and checked on
 * its own; the policy and signing options of {@code pull} and {@code manifest push}; sigstore
 * signatures in {@code dir:} and containers-storage as containers/image keeps them; a registry's
 * {@code X-Registry-Supports-Signatures} extension (served by {@link SignatureExtensionProxy}, as
 * the distribution registry here has none); and skopeo and hoist refusing what is unsigned,
 * tampered with, or signed for another manifest.
 */
class SignatureTransportsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IDENTITY = "example.com/team/app:1";

    @TempDir
    static Path shared;

    @TempDir
    Path temp;

    private static GnupgHome gpg;
    private static Path publicKey;
    private static Path passphrase;
    /** One image, signed by hoist as {@link #IDENTITY}. */
    private static Path signedImage;
    /** A list of two images, each instance and the list signed by hoist as {@link #IDENTITY}. */
    private static Path signedList;

    @BeforeAll
    static void signImages() throws Exception {
        gpg = GnupgHome.create(shared.resolve("gnupg"), "release@example.com");
        publicKey = gpg.exportPublicKey(shared.resolve("release.gpg"));
        passphrase = gpg.passphraseFile(shared.resolve("passphrase"));
        signedImage = shared.resolve("signed");
        ok(hoist(shared.resolve("store"), "copy", "-q", "--insecure-policy", "--sign-by", gpg.fingerprint(), "--sign-passphrase-file",
                passphrase.toString(), "--sign-identity", IDENTITY, TestImages.multiLayer(), "dir:" + signedImage));
        signedList = shared.resolve("signed-list");
        ok(hoist(shared.resolve("store"), "copy", "-q", "--all", "--insecure-policy", "--sign-by", gpg.fingerprint(),
                "--sign-passphrase-file", passphrase.toString(), "--sign-identity", IDENTITY, TestImages.multiPlatform(), "dir:" + signedList));
    }

    @AfterAll
    static void stopAgent() {
        gpg.close();
    }

    /** hoist in its own process, with {@code GNUPGHOME} set as a user sets it. */
    private static Command.Result hoist(Path root, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--root", root.toString()));
        command.addAll(List.of(args));
        return Command.exec(command, gpg.env());
    }

    private Command.Result hoist(String... args) {
        return hoist(temp.resolve("store"), args);
    }

    private Cli.Run inJvm(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    private static void ok(Command.Result result) {
        assertEquals(0, result.status(), () -> "stdout:\n" + result.out() + "stderr:\n" + result.err());
    }

    private static void oneErrorLine(Cli.Run run, String expected) {
        assertEquals(1, run.status(), run::toString);
        assertEquals("Error: " + expected, run.err().strip());
    }

    /** A policy accepting in dir:, docker: and containers-storage: only what the test key signed as {@link #IDENTITY} (oci: anything). */
    private Path policy(String name, String requirement) throws Exception {
        return Files.writeString(temp.resolve(name), "{\"default\": [{\"type\": \"reject\"}], \"transports\": {"
                + "\"dir\": {\"\": " + requirement + "}, \"docker\": {\"\": " + requirement + "}, "
                + "\"containers-storage\": {\"\": " + requirement + "}, "
                + "\"oci\": {\"\": [{\"type\": \"insecureAcceptAnything\"}]}}}");
    }

    private Path signedByPolicy() throws Exception {
        return policy("signed-by.json", "[{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"" + publicKey
                + "\", \"signedIdentity\": {\"type\": \"exactReference\", \"dockerReference\": \"" + IDENTITY + "\"}}]");
    }

    private static String skopeoVerify(Path manifest, Path signature) {
        return Command.run(List.of("skopeo", "standalone-verify", manifest.toString(), IDENTITY, gpg.fingerprint(),
                signature.toString()), gpg.env());
    }

    private Path copyOf(Path dir, String name) throws Exception {
        Path copy = Files.createDirectories(temp.resolve(name));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }

    private static List<String> instanceDigests(Path listDir) throws Exception {
        List<String> digests = new ArrayList<>();
        JSON.readTree(listDir.resolve("manifest.json").toFile()).path("manifests").forEach(m -> digests.add(m.path("digest").asText()));
        return digests;
    }

    @Test
    void everyInstanceOfAListIsSignedAndCheckedOnItsOwn() throws Exception {
        List<String> instances = instanceDigests(signedList);
        assertEquals(2, instances.size());
        assertTrue(skopeoVerify(signedList.resolve("manifest.json"), signedList.resolve("signature-1")).startsWith("Signature verified"));
        for (String instance : instances) {
            String hex = instance.substring(7);
            assertTrue(skopeoVerify(signedList.resolve(hex + ".manifest.json"), signedList.resolve(hex + ".signature-1"))
                    .contains(instance), instance);
        }
        Path policy = signedByPolicy();
        ok(Command.exec(List.of("skopeo", "--policy", policy.toString(), "copy", "-q", "--all", "--remove-signatures",
                "dir:" + signedList, "oci:" + temp.resolve("by-skopeo") + ":x"), gpg.env()));

        Path carried = temp.resolve("carried");
        Cli.ok(inJvm("copy", "-q", "--all", "--signature-policy", policy.toString(), "dir:" + signedList, "dir:" + carried));
        for (String instance : instances) {
            String name = instance.substring(7) + ".signature-1";
            assertArrayEquals(Files.readAllBytes(signedList.resolve(name)), Files.readAllBytes(carried.resolve(name)), "carried: " + name);
        }

        Path unsignedInstance = copyOf(signedList, "one-unsigned");
        Files.delete(unsignedInstance.resolve(instances.get(1).substring(7) + ".signature-1"));
        Path nothing = temp.resolve("nothing");
        oneErrorLine(inJvm("copy", "-q", "--all", "--signature-policy", policy.toString(), "dir:" + unsignedInstance, "dir:" + nothing),
                "dir:" + unsignedInstance + " (the list's instance " + instances.get(1) + ") is rejected by the signature policy " + policy
                        + ": requirement signedBy (" + publicKey + "): a signature was required, but the image has none");
        assertFalse(Files.exists(nothing), "nothing written");
        Command.Result skopeoToo = Command.exec(List.of("skopeo", "--policy", policy.toString(), "copy", "-q", "--all",
                "--remove-signatures", "dir:" + unsignedInstance, "oci:" + temp.resolve("refused") + ":x"), gpg.env());
        assertNotEquals(0, skopeoToo.status(), "skopeo refuses the unsigned instance too");
    }

    @Test
    void pullChecksThePolicyAndManifestPushSignsTheListAndEachInstance() throws Exception {
        Path policy = signedByPolicy();
        Cli.Run pulled = Cli.ok(inJvm("pull", "-q", "--signature-policy", policy.toString(), "dir:" + signedImage));
        assertEquals(64, pulled.out().strip().length(), pulled::toString);

        Path unsigned = temp.resolve("unsigned");
        Cli.ok(inJvm("copy", "-q", "--insecure-policy", "--remove-signatures", "dir:" + signedImage, "dir:" + unsigned));
        oneErrorLine(inJvm("pull", "-q", "--policy", policy.toString(), "dir:" + unsigned), "dir:" + unsigned
                + " is rejected by the signature policy " + policy + ": requirement signedBy (" + publicKey
                + "): a signature was required, but the image has none");
        assertFalse(inJvm("images").out().contains("localhost/unsigned"), "nothing stored");
        Cli.ok(inJvm("pull", "-q", "--insecure-policy", "--signature-policy", policy.toString(), "dir:" + unsigned));

        Cli.ok(inJvm("copy", "-q", "--all", "--insecure-policy", "--remove-signatures", "dir:" + signedList, "local:localhost/list:1"));
        Path pushed = temp.resolve("pushed");
        ok(hoist("manifest", "push", "--insecure-policy", "--sign-by", gpg.fingerprint(), "--sign-passphrase-file", passphrase.toString(),
                "--sign-identity", IDENTITY, "localhost/list:1", "dir:" + pushed));
        assertTrue(skopeoVerify(pushed.resolve("manifest.json"), pushed.resolve("signature-1")).startsWith("Signature verified"));
        for (String instance : instanceDigests(pushed)) {
            String hex = instance.substring(7);
            assertTrue(skopeoVerify(pushed.resolve(hex + ".manifest.json"), pushed.resolve(hex + ".signature-1")).contains(instance));
        }
    }

    @Test
    void sigstoreSignaturesAreKeptInDirAndContainersStorageAsContainersImageKeepsThem() throws Exception {
        CosignKeys.Files3 keys = CosignKeys.create(temp.resolve("keys"), "sigstore pass");
        Path keyPassphrase = Files.writeString(temp.resolve("pass"), "sigstore pass\n");
        Path dir = temp.resolve("sigstore");
        Cli.ok(inJvm("copy", "-q", "--insecure-policy", "--sign-by-sigstore-private-key", keys.privateKey().toString(),
                "--sign-passphrase-file", keyPassphrase.toString(), "--sign-identity", IDENTITY, TestImages.multiLayer(), "dir:" + dir));
        byte[] blob = Files.readAllBytes(dir.resolve("signature-1"));
        String prefix = "\0sigstore-json\n";
        assertEquals(prefix, new String(blob, 0, prefix.length(), StandardCharsets.ISO_8859_1), "containers/image's format tag");
        JsonNode stored = JSON.readTree(new String(blob, prefix.length(), blob.length - prefix.length(), StandardCharsets.UTF_8));
        assertEquals("application/vnd.dev.cosign.simplesigning.v1+json", stored.path("mimeType").asText());
        assertTrue(stored.path("annotations").path("dev.cosignproject.cosign/signature").isTextual(), stored::toString);
        JsonNode payload = JSON.readTree(Base64.getDecoder().decode(stored.path("payload").asText()));
        assertEquals("cosign container image signature", payload.path("critical").path("type").asText());
        assertEquals(Command.run("skopeo", "manifest-digest", dir.resolve("manifest.json").toString()).strip(),
                payload.path("critical").path("image").path("docker-manifest-digest").asText());
        assertEquals(IDENTITY, payload.path("critical").path("identity").path("docker-reference").asText());

        // skopeo (built here without sigstore) still reads the format and carries the signature as it is
        Path bySkopeo = temp.resolve("by-skopeo");
        Command.run("skopeo", "--insecure-policy", "copy", "-q", "dir:" + dir, "dir:" + bySkopeo);
        assertArrayEquals(blob, Files.readAllBytes(bySkopeo.resolve("signature-1")));

        Path policy = policy("sigstore.json", "[{\"type\": \"sigstoreSigned\", \"keyPath\": \"" + keys.publicKey()
                + "\", \"signedIdentity\": {\"type\": \"exactReference\", \"dockerReference\": \"" + IDENTITY + "\"}}]");
        Cli.ok(inJvm("copy", "-q", "--remove-signatures", "--signature-policy", policy.toString(), "dir:" + bySkopeo,
                "oci:" + temp.resolve("accepted") + ":x"));
        CosignKeys.Files3 otherKeys = CosignKeys.create(temp.resolve("other-keys"), "other");
        Path otherPolicy = policy("other.json", "[{\"type\": \"sigstoreSigned\", \"keyPath\": \"" + otherKeys.publicKey() + "\"}]");
        oneErrorLine(inJvm("copy", "-q", "--remove-signatures", "--signature-policy", otherPolicy.toString(), "dir:" + bySkopeo,
                "oci:" + temp.resolve("refused") + ":x"), "dir:" + bySkopeo + " is rejected by the signature policy " + otherPolicy
                + ": requirement sigstoreSigned (" + otherKeys.publicKey() + "): no signature accepted; a sigstore signature is not by a trusted key");

        // a copy into containers-storage writes another manifest: it is signed there anew
        Buildah storage = new Buildah(temp.resolve("containers"), "vfs");
        String target = storage.ref("localhost/sigstore:1");
        Cli.ok(inJvm("copy", "-q", "--signature-policy", policy.toString(), "--remove-signatures", "--sign-by-sigstore-private-key",
                keys.privateKey().toString(), "--sign-passphrase-file", keyPassphrase.toString(), "--sign-identity", IDENTITY,
                "dir:" + bySkopeo, target));
        Path bigData;
        try (Stream<Path> files = Files.walk(storage.root().resolve("vfs-images"))) {
            // big-data files are named "=" and their key in base64 when the key has a "-", as containers/storage names them
            List<Path> found = files.filter(f -> f.getFileName().toString().startsWith("="))
                    .filter(f -> bigDataKey(f).matches("signature-[0-9a-f]{64}")).toList();
            assertEquals(1, found.size(), found::toString);
            bigData = found.get(0);
        }
        byte[] inStorage = Files.readAllBytes(bigData);
        assertEquals(prefix, new String(inStorage, 0, prefix.length(), StandardCharsets.ISO_8859_1), "kept as containers/image keeps it");
        // it signs the manifest as stored (which containers/image and hoist hand out changed when reading: it stays there)
        Path storedManifest = Files.writeString(temp.resolve("stored.json"), Command.run("skopeo", "inspect", "--raw", target));
        String storedDigest = Command.run("skopeo", "manifest-digest", storedManifest.toString()).strip();
        assertEquals("signature-" + storedDigest.substring(7), bigDataKey(bigData));
        JsonNode kept = JSON.readTree(new String(inStorage, prefix.length(), inStorage.length - prefix.length(), StandardCharsets.UTF_8));
        Path keptPayload = Files.write(temp.resolve("payload"), Base64.getDecoder().decode(kept.path("payload").asText()));
        assertEquals(storedDigest, JSON.readTree(keptPayload.toFile()).path("critical").path("image").path("docker-manifest-digest").asText());
        Path der = Files.write(temp.resolve("signature.der"), Base64.getDecoder().decode(
                kept.path("annotations").path("dev.cosignproject.cosign/signature").asText()));
        assertEquals("Verified OK", Command.run("openssl", "dgst", "-sha256", "-verify", keys.publicKey().toString(), "-signature",
                der.toString(), keptPayload.toString()).strip());
    }

    private static String bigDataKey(Path file) {
        return new String(Base64.getDecoder().decode(file.getFileName().toString().substring(1)), StandardCharsets.UTF_8);
    }

    @Test
    void aRegistryWithTheSignatureExtensionKeepsTheSignaturesAndSkopeoAndHoistReadThem() throws Exception {
        Path noLookaside = Files.createDirectories(temp.resolve("registries.d"));
        Path policy = policy("extension.json", "[{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"" + publicKey + "\"}]");
        try (Registry registry = Registry.start(); SignatureExtensionProxy proxy = new SignatureExtensionProxy(
                Integer.parseInt(registry.host().substring(registry.host().lastIndexOf(':') + 1)))) {
            String byHoist = "docker://" + proxy.host() + "/team/app:1";
            ok(hoist("copy", "-q", "--insecure-policy", "--tls-verify=false", "--registries.d", noLookaside.toString(), "--sign-by",
                    gpg.fingerprint(), "--sign-passphrase-file", passphrase.toString(), TestImages.multiLayer(), byHoist));
            Path manifest = Files.writeString(temp.resolve("manifest.json"), Command.run("skopeo", "inspect", "--raw", "--tls-verify=false", byHoist));
            String digest = Command.run("skopeo", "manifest-digest", manifest.toString()).strip();
            List<JsonNode> entries = proxy.entries("team/app", digest);
            assertEquals(1, entries.size(), entries::toString);
            assertTrue(entries.get(0).path("name").asText().matches(java.util.regex.Pattern.quote(digest) + "@[0-9a-f]{32}"), entries::toString);
            assertEquals("atomic", entries.get(0).path("type").asText());
            Path signature = Files.write(temp.resolve("signature"), Base64.getDecoder().decode(entries.get(0).path("content").asText()));
            assertTrue(Command.run(List.of("skopeo", "standalone-verify", manifest.toString(), proxy.host() + "/team/app:1",
                    gpg.fingerprint(), signature.toString()), gpg.env()).startsWith("Signature verified"));
            ok(Command.exec(List.of("skopeo", "--policy", policy.toString(), "--registries.d", noLookaside.toString(), "copy", "-q",
                    "--src-tls-verify=false", "--remove-signatures", byHoist, "oci:" + temp.resolve("by-skopeo") + ":x"), gpg.env()));

            String bySkopeo = "docker://" + proxy.host() + "/team/other:1";
            Command.run(List.of("skopeo", "--insecure-policy", "--registries.d", noLookaside.toString(), "copy", "-q",
                    "--dest-tls-verify=false", "--sign-by", gpg.fingerprint(), "--sign-passphrase-file", passphrase.toString(),
                    TestImages.multiLayer(), bySkopeo), gpg.env());
            List<JsonNode> skopeoEntries = proxy.entries("team/other", digest);
            assertEquals(1, skopeoEntries.size(), "skopeo stored its signature through the extension");
            Path carried = temp.resolve("carried");
            Cli.ok(inJvm("copy", "-q", "--tls-verify=false", "--registries.d", noLookaside.toString(), "--signature-policy",
                    policy.toString(), bySkopeo, "dir:" + carried));
            assertArrayEquals(Base64.getDecoder().decode(skopeoEntries.get(0).path("content").asText()),
                    Files.readAllBytes(carried.resolve("signature-1")), "hoist read it through the extension");

            String unsigned = "docker://" + proxy.host() + "/team/unsigned:1";
            Cli.ok(inJvm("copy", "-q", "--insecure-policy", "--tls-verify=false", "--registries.d", noLookaside.toString(),
                    TestImages.multiLayer(), unsigned));
            oneErrorLine(inJvm("copy", "-q", "--tls-verify=false", "--registries.d", noLookaside.toString(), "--signature-policy",
                    policy.toString(), unsigned, "dir:" + temp.resolve("refused")), unsigned + " is rejected by the signature policy "
                    + policy + ": requirement signedBy (" + publicKey + "): a signature was required, but the image has none");
        }
    }

    @Test
    void unsignedTamperedAndMisplacedSignaturesAreRefusedAndABrokenPolicyPushesNothing() throws Exception {
        Path policy = signedByPolicy();
        ok(Command.exec(List.of("skopeo", "--policy", policy.toString(), "copy", "-q", "--remove-signatures", "dir:" + signedImage,
                "oci:" + temp.resolve("accepted") + ":x"), gpg.env()));

        Path unsigned = temp.resolve("unsigned");
        Cli.ok(inJvm("copy", "-q", "--insecure-policy", "--remove-signatures", "dir:" + signedImage, "dir:" + unsigned));
        Command.Result skopeoUnsigned = Command.exec(List.of("skopeo", "--policy", policy.toString(), "copy", "-q",
                "dir:" + unsigned, "oci:" + temp.resolve("refused") + ":x"), gpg.env());
        assertNotEquals(0, skopeoUnsigned.status(), "skopeo refuses an unsigned image");

        Path tampered = copyOf(signedImage, "tampered");
        Files.writeString(tampered.resolve("manifest.json"), Files.readString(tampered.resolve("manifest.json")) + "\n");
        Command.Result skopeoTampered = Command.exec(List.of("skopeo", "--policy", policy.toString(), "copy", "-q",
                "dir:" + tampered, "oci:" + temp.resolve("refused") + ":x"), gpg.env());
        assertNotEquals(0, skopeoTampered.status(), "skopeo refuses a tampered manifest");
        String signedDigest = Command.run("skopeo", "manifest-digest", signedImage.resolve("manifest.json").toString()).strip();
        String requirement = "requirement signedBy (" + publicKey + "): no signature accepted; ";
        oneErrorLine(inJvm("copy", "-q", "--signature-policy", policy.toString(), "dir:" + tampered, "oci:" + temp.resolve("refused") + ":x"),
                "dir:" + tampered + " is rejected by the signature policy " + policy + ": " + requirement
                        + "a signature is for another manifest (" + signedDigest + ")");

        Path other = temp.resolve("other");
        Cli.ok(inJvm("copy", "-q", "--insecure-policy", TestImages.multiPlatform(), "dir:" + other));
        Files.copy(signedImage.resolve("signature-1"), other.resolve("signature-1"));
        oneErrorLine(inJvm("copy", "-q", "--signature-policy", policy.toString(), "dir:" + other, "oci:" + temp.resolve("refused") + ":x"),
                "dir:" + other + " is rejected by the signature policy " + policy + ": " + requirement
                        + "a signature is for another manifest (" + signedDigest + ")");
        assertFalse(Files.exists(temp.resolve("refused")), "nothing written");

        Path broken = Files.writeString(temp.resolve("broken.json"), "{\"default\": [{\"type\": ");
        try (Registry registry = Registry.start()) {
            String destination = registry.ref("team/app:1");
            Cli.Run unparsable = inJvm("copy", "-q", "--tls-verify=false", "--signature-policy", broken.toString(), "dir:" + signedImage,
                    destination);
            assertEquals(1, unparsable.status(), unparsable::toString);
            assertEquals(1, unparsable.err().strip().lines().count(), unparsable::toString);
            assertTrue(unparsable.err().startsWith("Error: " + broken + ": not valid JSON"), unparsable::err);
            Command.Result inspect = Command.exec(List.of("skopeo", "inspect", "--tls-verify=false", "--raw", destination), Map.of());
            assertNotEquals(0, inspect.status(), "nothing pushed");
        }
    }
}
