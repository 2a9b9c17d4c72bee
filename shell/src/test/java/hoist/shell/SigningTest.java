package hoist.shell;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
            ok(hoist("copy", "-q", "--tls-verify=false", "--registries.d", registriesD.toString(), "--format", "oci",
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
}
