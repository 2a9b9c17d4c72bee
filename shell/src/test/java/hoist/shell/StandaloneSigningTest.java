package hoist.shell;

import hoist.engine.testing.Command;
import hoist.engine.testing.GnupgHome;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code standalone-sign} and {@code standalone-verify}: what hoist signs skopeo verifies, what
 * skopeo signs hoist verifies with skopeo's own output line, and every way a signature can be
 * wrong is one {@code Error:} line.
 */
class StandaloneSigningTest {

    private static final String REFERENCE = "example.com/team/app:1";

    @TempDir
    static Path shared;

    @TempDir
    Path temp;

    private static GnupgHome gpg;
    private static GnupgHome other;
    private static Path passphrase;
    private static Path manifest;

    @BeforeAll
    static void makeKeysAndManifest() throws Exception {
        gpg = GnupgHome.create(shared.resolve("gnupg"), "release@example.com");
        other = GnupgHome.create(shared.resolve("other"), "someone@example.com");
        passphrase = gpg.passphraseFile(shared.resolve("passphrase"));
        manifest = Files.writeString(shared.resolve("manifest.json"), Command.run("skopeo", "inspect", "--raw", TestImages.multiLayer()));
    }

    @AfterAll
    static void stopAgents() {
        gpg.close();
        other.close();
    }

    /** hoist in its own process, with {@code GNUPGHOME} set as a user sets it. */
    private Command.Result hoist(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--root", temp.resolve("store").toString()));
        command.addAll(List.of(args));
        return Command.exec(command, gpg.env());
    }

    private Cli.Run inJvm(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    private static void oneErrorLine(int status, String err, String expected) {
        assertEquals(1, status, err);
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("Error: "), err);
        assertTrue(err.contains(expected), () -> "expected \"" + expected + "\" in " + err);
    }

    /**
     * Checks that skopeo verifies {@code signature}, and returns the line hoist prints for it:
     * current skopeo's ({@code Signature verified using fingerprint FPR, digest D}); skopeo before
     * 1.14, as installed here, leaves out the fingerprint.
     */
    private static String verifiedLine(Path signature) {
        String skopeoSays = Command.run(List.of("skopeo", "standalone-verify", manifest.toString(), REFERENCE, gpg.fingerprint(),
                signature.toString()), gpg.env()).strip();
        String digest = Command.run("skopeo", "manifest-digest", manifest.toString()).strip();
        String line = "Signature verified using fingerprint " + gpg.fingerprint() + ", digest " + digest;
        assertTrue(skopeoSays.equals(line) || skopeoSays.equals("Signature verified, digest " + digest), skopeoSays);
        return line;
    }

    @Test
    void skopeoVerifiesWhatHoistSignsAndHoistPrintsWhatSkopeoPrints() throws Exception {
        Path signature = temp.resolve("by-hoist.sig");
        Command.Result signed = hoist("standalone-sign", manifest.toString(), REFERENCE, gpg.fingerprint(), "-o", signature.toString(),
                "--passphrase-file", passphrase.toString());
        assertEquals(0, signed.status(), signed::err);
        assertEquals("", signed.out(), "standalone-sign prints nothing, as skopeo's");
        String line = verifiedLine(signature);

        Command.Result hoistSays = hoist("standalone-verify", manifest.toString(), REFERENCE, gpg.fingerprint(), signature.toString());
        assertEquals(0, hoistSays.status(), hoistSays::err);
        assertEquals(line + "\n", hoistSays.out(), "the keys of the GnuPG home, and skopeo's line");
    }

    @Test
    void hoistVerifiesWhatSkopeoSignsWithTheKeysOfAFileAndInAScript() throws Exception {
        Path signature = temp.resolve("by-skopeo.sig");
        Command.run(List.of("skopeo", "standalone-sign", manifest.toString(), REFERENCE, gpg.fingerprint(), "-o", signature.toString(),
                "--passphrase-file", passphrase.toString()), gpg.env());
        Path keys = gpg.exportPublicKey(temp.resolve("release.gpg"));
        String expected = verifiedLine(signature) + "\n";

        Cli.Run byFingerprint = Cli.ok(inJvm("standalone-verify", "--public-key-file", keys.toString(), manifest.toString(), REFERENCE,
                "0000000000000000000000000000000000000000," + gpg.fingerprint().toLowerCase(), signature.toString()));
        assertEquals(expected, byFingerprint.out(), "one of a comma-separated list");
        Cli.Run any = Cli.ok(inJvm("standalone-verify", "--public-key-file", keys.toString(), manifest.toString(), REFERENCE, "any",
                signature.toString()));
        assertEquals(expected, any.out());

        Cli.Run script = Cli.ok(inJvm("-e", "def v = standaloneVerify '" + manifest + "', '" + REFERENCE + "', 'any', '" + signature
                + "', publicKeyFile: '" + keys + "'\nprintln v.fingerprint\nprintln v.digest"));
        assertEquals(gpg.fingerprint() + "\n" + Command.run("skopeo", "manifest-digest", manifest.toString()).strip() + "\n", script.out());

        Cli.Run anyWithoutFile = inJvm("standalone-verify", manifest.toString(), REFERENCE, "any", signature.toString());
        assertEquals(2, anyWithoutFile.status(), anyWithoutFile::toString);
        assertEquals("Error: the key fingerprint \"any\" needs --public-key-file", anyWithoutFile.err().strip());
    }

    @Test
    void aTamperedManifestAWrongReferenceOrAnotherKeyIsOneErrorLine() throws Exception {
        Path signature = temp.resolve("by-skopeo.sig");
        Command.run(List.of("skopeo", "standalone-sign", manifest.toString(), REFERENCE, gpg.fingerprint(), "-o", signature.toString(),
                "--passphrase-file", passphrase.toString()), gpg.env());
        Path keys = gpg.exportPublicKey(temp.resolve("release.gpg"));
        Path otherKeys = other.exportPublicKey(temp.resolve("other.gpg"));
        String digest = Command.run("skopeo", "manifest-digest", manifest.toString()).strip();

        Path tampered = Files.writeString(temp.resolve("tampered.json"), Files.readString(manifest).replace("\"size\"", "\"size\" "));
        Cli.Run changed = inJvm("standalone-verify", "--public-key-file", keys.toString(), tampered.toString(), REFERENCE,
                gpg.fingerprint(), signature.toString());
        oneErrorLine(changed.status(), changed.err(), "the signature is for manifest digest " + digest);
        assertEquals("", changed.out());

        Cli.Run wrongReference = inJvm("standalone-verify", "--public-key-file", keys.toString(), manifest.toString(),
                "example.com/team/app:2", gpg.fingerprint(), signature.toString());
        oneErrorLine(wrongReference.status(), wrongReference.err(),
                "the signature is for Docker reference \"" + REFERENCE + "\", not \"example.com/team/app:2\"");

        Cli.Run wrongFingerprint = inJvm("standalone-verify", "--public-key-file", keys.toString(), manifest.toString(), REFERENCE,
                other.fingerprint(), signature.toString());
        oneErrorLine(wrongFingerprint.status(), wrongFingerprint.err(),
                "the signature is by key " + gpg.fingerprint() + ", which is not the expected " + other.fingerprint());

        Cli.Run untrusted = inJvm("standalone-verify", "--public-key-file", otherKeys.toString(), manifest.toString(), REFERENCE,
                "any", signature.toString());
        oneErrorLine(untrusted.status(), untrusted.err(), "which is not a trusted key");

        Command.Result skopeoToo = Command.exec(List.of("skopeo", "standalone-verify", tampered.toString(), REFERENCE,
                gpg.fingerprint(), signature.toString()), gpg.env());
        assertEquals(1, skopeoToo.status(), "skopeo refuses the tampered manifest as well");
    }

    @Test
    void aWrongPassphraseOrAMissingKeyIsOneErrorLineAndWritesNoSignature() throws Exception {
        Path signature = temp.resolve("never.sig");
        Path wrong = Files.writeString(temp.resolve("wrong"), "not it\n");
        Command.Result badPassphrase = hoist("standalone-sign", manifest.toString(), REFERENCE, gpg.fingerprint(), "-o",
                signature.toString(), "--passphrase-file", wrong.toString());
        oneErrorLine(badPassphrase.status(), badPassphrase.err(), "wrong passphrase for the secret key " + gpg.fingerprint());
        assertFalse(Files.exists(signature));

        Command.Result missingKey = hoist("standalone-sign", manifest.toString(), REFERENCE, other.fingerprint(), "-o",
                signature.toString(), "--passphrase-file", passphrase.toString());
        oneErrorLine(missingKey.status(), missingKey.err(), "no key " + other.fingerprint() + " in the GnuPG home " + gpg.home());
        assertFalse(Files.exists(signature));

        Cli.Run noOutput = inJvm("standalone-sign", manifest.toString(), REFERENCE, gpg.fingerprint());
        assertEquals(2, noOutput.status(), noOutput::toString);
        assertFalse(Files.exists(signature));
    }
}
