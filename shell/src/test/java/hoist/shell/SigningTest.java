package hoist.shell;

import hoist.engine.testing.Buildah;
import hoist.engine.testing.Command;
import hoist.engine.testing.GnupgHome;
import hoist.engine.testing.Registry;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --sign-by}: hoist signs with a key the real gpg made, in the GnuPG home it made, and
 * skopeo accepts the signatures under a policy that requires them, in {@code dir:} and from a
 * registry's lookaside store.
 */
class SigningTest {

    @TempDir
    static Path shared;

    @TempDir
    Path temp;

    private static GnupgHome gpg;
    private static Path publicKey;
    private static Path passphrase;

    @BeforeAll
    static void makeKey() throws Exception {
        gpg = GnupgHome.create(shared.resolve("gnupg"), "release@example.com");
        publicKey = gpg.exportPublicKey(shared.resolve("release.gpg"));
        passphrase = gpg.passphraseFile(shared.resolve("passphrase"));
    }

    @AfterAll
    static void stopAgent() {
        gpg.close();
    }

    /** hoist in its own process, with {@code GNUPGHOME} set as a user sets it. */
    private Command.Result hoist(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--root", temp.resolve("store").toString()));
        command.addAll(List.of(args));
        return Command.exec(command, gpg.env());
    }

    /** hoist in this JVM, for runs that need no GnuPG home: much faster than a process. */
    private Cli.Run inJvm(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    private static void okIn(Cli.Run run) {
        assertEquals(0, run.status(), run::toString);
    }

    private static void ok(Command.Result result) {
        assertEquals(0, result.status(), () -> "stdout:\n" + result.out() + "stderr:\n" + result.err());
    }

    /** A policy requiring the test key's signature, with {@code identity} as its signedIdentity (null: the default). */
    private Path policy(String identity) throws Exception {
        String signedIdentity = identity == null ? "" : ", \"signedIdentity\": " + identity;
        String requirement = "[{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"" + publicKey + "\"" + signedIdentity + "}]";
        return Files.writeString(temp.resolve("policy.json"), "{\"default\": [{\"type\": \"reject\"}], \"transports\": {"
                + "\"dir\": {\"\": " + requirement + "}, \"docker\": {\"\": " + requirement + "}, "
                + "\"oci\": {\"\": [{\"type\": \"insecureAcceptAnything\"}]}}}");
    }

    private Command.Result skopeoCopy(Path policy, String... args) {
        List<String> command = new ArrayList<>(List.of("skopeo", "--policy", policy.toString()));
        command.addAll(List.of(args));
        return Command.exec(command, gpg.env());
    }

    @Test
    void skopeoVerifiesAndAcceptsAnImageHoistSignedIntoADirectory() throws Exception {
        Path dir = temp.resolve("signed");
        ok(hoist("copy", "-q", "--sign-by", gpg.fingerprint(), "--sign-passphrase-file", passphrase.toString(),
                "--sign-identity", "example.com/team/app:1", TestImages.multiLayer(), "dir:" + dir));
        assertTrue(Files.isRegularFile(dir.resolve("signature-1")));
        assertFalse(Files.exists(dir.resolve("signature-2")));
        String verified = Command.run(List.of("skopeo", "standalone-verify", dir.resolve("manifest.json").toString(),
                "example.com/team/app:1", gpg.fingerprint(), dir.resolve("signature-1").toString()), gpg.env());
        assertTrue(verified.startsWith("Signature verified"), verified);
        Path policy = policy("{\"type\": \"exactReference\", \"dockerReference\": \"example.com/team/app:1\"}");
        ok(skopeoCopy(policy, "copy", "-q", "--remove-signatures", "dir:" + dir, "oci:" + temp.resolve("accepted") + ":x"));

        Path other = policy("{\"type\": \"exactReference\", \"dockerReference\": \"example.com/team/other:1\"}");
        Command.Result wrongIdentity = skopeoCopy(other, "copy", "-q", "dir:" + dir, "oci:" + temp.resolve("refused") + ":x");
        assertNotEquals(0, wrongIdentity.status(), "a signature for another identity is refused");
    }

    @Test
    void hoistSignsWhatItPushesIntoTheRegistrysLookasideAndSkopeoAcceptsIt() throws Exception {
        Path lookaside = temp.resolve("lookaside");
        Path registriesD = Files.createDirectories(temp.resolve("registries.d"));
        try (Registry registry = Registry.start()) {
            Files.writeString(registriesD.resolve("test.yaml"), "docker:\n  " + registry.host() + ":\n    lookaside: file://" + lookaside + "\n");
            String signed = registry.ref("team/app:1");
            ok(hoist("copy", "-q", "--tls-verify=false", "--registries.d", registriesD.toString(), "--sign-by", "release@example.com",
                    "--sign-passphrase-file", passphrase.toString(), TestImages.multiLayer(), signed));
            String digest = Command.run("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}", signed).strip();
            Path first = lookaside.resolve("team/app@" + digest.replace(':', '=')).resolve("signature-1");
            assertTrue(Files.isRegularFile(first), "the signature is where containers/image reads it: " + first);

            Path policy = policy(null);
            ok(skopeoCopy(policy, "--registries.d", registriesD.toString(), "copy", "-q", "--remove-signatures", "--src-tls-verify=false",
                    signed, "oci:" + temp.resolve("pulled") + ":x"));

            String unsigned = registry.ref("team/app:2");
            okIn(inJvm("copy", "-q", "--tls-verify=false", "--registries.d", registriesD.toString(), "--format", "oci",
                    TestImages.multiPlatform(), unsigned));
            Command.Result refused = skopeoCopy(policy, "--registries.d", registriesD.toString(), "copy", "-q",
                    "--src-tls-verify=false", unsigned, "oci:" + temp.resolve("refused") + ":x");
            assertNotEquals(0, refused.status(), "an unsigned image is refused");
            assertTrue(refused.err().contains("signature"), refused::err);
        }
    }

    @Test
    void aWrongPassphraseOrAnUnknownKeyFailsWithOneLineAndWritesNothing() throws Exception {
        Path wrong = Files.writeString(temp.resolve("wrong"), "not it\n");
        Path dir = temp.resolve("nothing");
        Command.Result badPassphrase = hoist("copy", "-q", "--sign-by", gpg.fingerprint(), "--sign-passphrase-file", wrong.toString(),
                "--sign-identity", "example.com/team/app:1", TestImages.multiLayer(), "dir:" + dir);
        assertEquals(1, badPassphrase.status());
        assertEquals("Error: wrong passphrase for the secret key " + gpg.fingerprint() + " in " + gpg.home(), badPassphrase.err().strip());
        assertFalse(Files.exists(dir));

        Command.Result unknown = hoist("copy", "-q", "--sign-by", "0123456789ABCDEF0123456789ABCDEF01234567",
                TestImages.multiLayer(), "dir:" + dir);
        assertEquals(1, unknown.status());
        assertEquals("Error: no key 0123456789ABCDEF0123456789ABCDEF01234567 in the GnuPG home " + gpg.home(), unknown.err().strip());
        assertFalse(Files.exists(dir));

        Command.Result noIdentity = hoist("copy", "-q", "--sign-by", gpg.fingerprint(), "--sign-passphrase-file", passphrase.toString(),
                TestImages.multiLayer(), "dir:" + dir);
        assertEquals(1, noIdentity.status());
        assertTrue(noIdentity.err().strip().startsWith("Error: ") && noIdentity.err().contains("--sign-identity"), noIdentity::err);
        assertEquals(1, noIdentity.err().strip().lines().count(), noIdentity::err);
        assertFalse(Files.exists(dir));
    }

    @Test
    void hoistEnforcesThePolicyOnImagesSkopeoSigned() throws Exception {
        Path lookaside = temp.resolve("lookaside");
        Path registriesD = Files.createDirectories(temp.resolve("registries.d"));
        try (Registry registry = Registry.start()) {
            Files.writeString(registriesD.resolve("test.yaml"), "default-docker:\n  lookaside: file://" + lookaside + "\n");
            String signed = registry.ref("team/by-skopeo:1");
            Command.run(List.of("skopeo", "--insecure-policy", "--registries.d", registriesD.toString(), "copy", "-q",
                    "--dest-tls-verify=false", "--sign-by", gpg.fingerprint(), "--sign-passphrase-file", passphrase.toString(),
                    TestImages.multiLayer(), signed), gpg.env());
            String unsigned = registry.ref("team/by-skopeo:2");
            Command.run(List.of("skopeo", "--insecure-policy", "copy", "-q", "--dest-tls-verify=false", "--format", "oci",
                    TestImages.multiPlatform(), unsigned), gpg.env());
            Path policy = policy(null);
            String[] common = {"copy", "-q", "--tls-verify=false", "--registries.d", registriesD.toString(), "--signature-policy", policy.toString()};

            Path accepted = temp.resolve("accepted");
            okIn(inJvm(concat(common, signed, "dir:" + accepted)));
            String digestSigned = Command.run("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}", signed).strip();
            Path skopeoSignature = lookaside.resolve("team/by-skopeo@" + digestSigned.replace(':', '=')).resolve("signature-1");
            assertArrayEquals(Files.readAllBytes(skopeoSignature), Files.readAllBytes(accepted.resolve("signature-1")),
                    "the signature travels with the image");

            Path noStore = temp.resolve("no-store");
            Cli.Run cannotStore = inJvm(concat(common, signed, "oci:" + noStore + ":x"));
            assertEquals("Error: oci:" + noStore + ":x cannot store signatures; use --remove-signatures", cannotStore.err().strip());
            assertFalse(Files.exists(noStore), "nothing written");
            Cli.Run converted = inJvm(concat(common, "--format", "v2s2", signed, "dir:" + noStore));
            assertEquals("Error: copying to dir:" + noStore + " changes the manifest, which would invalidate the source's signatures; "
                    + "use --remove-signatures", converted.err().strip());
            assertFalse(Files.exists(noStore), "nothing written");
            okIn(inJvm(concat(common, "--remove-signatures", signed, "oci:" + noStore + ":x")));

            Path none = temp.resolve("none");
            Cli.Run noSignature = inJvm(concat(common, unsigned, "oci:" + none + ":x"));
            assertEquals(1, noSignature.status(), noSignature::toString);
            assertEquals("Error: " + unsigned + " is rejected by the signature policy " + policy + ": requirement signedBy ("
                    + publicKey + "): a signature was required, but the image has none", noSignature.err().strip());
            assertFalse(Files.exists(none), "nothing written");

            Path otherIdentity = policy("{\"type\": \"exactRepository\", \"dockerRepository\": \"example.com/elsewhere\"}");
            Cli.Run wrongIdentity = inJvm("copy", "-q", "--tls-verify=false", "--registries.d", registriesD.toString(),
                    "--policy", otherIdentity.toString(), signed, "oci:" + none + ":x");
            assertEquals(1, wrongIdentity.status(), wrongIdentity::toString);
            assertTrue(wrongIdentity.err().strip().endsWith("no signature accepted; a signature is for " + signed.substring(9)
                    + ", which does not match " + signed.substring(9)), wrongIdentity::err);
            assertFalse(Files.exists(none), "nothing written");

            // the signature of one image put beside another: it signs another manifest
            String digestUnsigned = Command.run("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}", unsigned).strip();
            Path moved = Files.createDirectories(lookaside.resolve("team/by-skopeo@" + digestUnsigned.replace(':', '=')));
            Files.copy(lookaside.resolve("team/by-skopeo@" + digestSigned.replace(':', '=')).resolve("signature-1"), moved.resolve("signature-1"));
            Cli.Run otherManifest = inJvm(concat(common, unsigned, "oci:" + none + ":x"));
            assertEquals(1, otherManifest.status(), otherManifest::toString);
            assertTrue(otherManifest.err().strip().endsWith("a signature is for another manifest (" + digestSigned + ")"), otherManifest::err);

            Path broken = Files.writeString(temp.resolve("broken.json"), "{\"default\": [");
            Cli.Run unparsable = inJvm("copy", "-q", "--signature-policy", broken.toString(), TestImages.multiLayer(), "oci:" + none + ":x");
            assertEquals(1, unparsable.status(), unparsable::toString);
            assertTrue(unparsable.err().startsWith("Error: " + broken + ": not valid JSON"), unparsable::err);
            assertEquals(1, unparsable.err().strip().lines().count(), unparsable::err);
            assertFalse(Files.exists(none), "nothing written");

            okIn(inJvm("copy", "-q", "--insecure-policy", "--signature-policy", broken.toString(), TestImages.multiLayer(), "oci:" + none + ":x"));
        }
    }

    @Test
    void aScriptSignsWithNamedArgumentsIntoContainersStorageWhereSkopeoFindsAndVerifiesTheSignature() throws Exception {
        Buildah storage = new Buildah(temp.resolve("containers"), "vfs");
        String target = storage.ref("localhost/signed:1");
        ok(hoist("-e", "copy '" + TestImages.multiLayer() + "', '" + target + "', quiet: true, signBy: '" + gpg.fingerprint()
                + "', signPassphraseFile: '" + passphrase + "'"));
        // skopeo finds the signature (and, as containers/image cannot copy signed images out of
        // containers-storage, whose layers it would have to recompress, says so)
        Command.Result readBack = Command.exec(List.of("skopeo", "--insecure-policy", "copy", "-q", target, "dir:" + temp.resolve("back")), Map.of());
        assertTrue(readBack.err().contains("Would invalidate signatures"), readBack::err);
        Path manifest = Files.writeString(temp.resolve("manifest.json"), Command.run("skopeo", "inspect", "--raw", target));
        Path signature;
        try (java.util.stream.Stream<Path> files = Files.walk(storage.root().resolve("vfs-images"))) {
            signature = files.filter(f -> f.getFileName().toString().equals("signatures")).findFirst().orElseThrow();
        }
        String verified = Command.run(List.of("skopeo", "standalone-verify", manifest.toString(),
                "localhost/signed:1", gpg.fingerprint(), signature.toString()), gpg.env());
        assertTrue(verified.startsWith("Signature verified"), verified);
    }

    private static String[] concat(String[] first, String... rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }
}
