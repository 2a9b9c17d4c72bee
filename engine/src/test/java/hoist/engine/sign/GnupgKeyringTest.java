package hoist.engine.sign;

import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.testing.Command;
import hoist.engine.testing.GnupgHome;
import hoist.engine.transport.DockerReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys made by the real gpg are read in place, sign, and gpg verifies what they sign. */
class GnupgKeyringTest {

    @TempDir
    static Path temp;

    private static GnupgHome gpg;

    @BeforeAll
    static void makeKey() throws Exception {
        gpg = GnupgHome.create(temp.resolve("gnupg"), "signer@example.com");
    }

    @AfterAll
    static void stopAgent() {
        gpg.close();
    }

    private static SimpleSigner signer() throws Exception {
        return new SimpleSigner(GnupgKeyring.at(gpg.home()).signingKey(gpg.fingerprint(), GnupgHome.PASSPHRASE.toCharArray()));
    }

    @Test
    void gpgVerifiesASignatureMadeWithItsProtectedAgentKey() throws Exception {
        Digest digest = Digest.sha256("a manifest");
        byte[] signature = signer().sign(DockerReference.parse("example.com/team/app:1"), digest);
        Path file = Files.write(temp.resolve("signature"), signature);
        Command.Result verified = Command.exec(List.of("gpg", "--batch", "--status-fd", "1", "--decrypt", file.toString()), gpg.env());
        assertEquals(0, verified.status(), verified::err);
        assertTrue(verified.out().contains("[GNUPG:] VALIDSIG " + gpg.fingerprint()), verified::out);
        SignaturePayload payload = SignaturePayload.parse(verified.out().lines().filter(l -> l.startsWith("{"))
                .findFirst().orElseThrow().getBytes(StandardCharsets.UTF_8), SignaturePayload.SIMPLE_SIGNING_TYPE);
        assertEquals("example.com/team/app:1", payload.dockerReference());
        assertEquals(digest, payload.manifestDigest());
        assertEquals("hoist", payload.creator());
    }

    @Test
    void aSignatureVerifiesAgainstTheExportedPublicKeyAndNotAnother() throws Exception {
        byte[] signature = signer().sign(DockerReference.parse("example.com/team/app:1"), Digest.sha256("m"));
        Path exported = gpg.exportPublicKey(temp.resolve("pub.gpg"));
        OpenPgpMessage.Verified verified = OpenPgpMessage.verify(signature, PublicKeys.read(Files.readAllBytes(exported), "pub.gpg"));
        assertEquals(gpg.fingerprint(), verified.signerFingerprint());
        assertThrows(InvalidSignatureException.class, () -> OpenPgpMessage.verify(signature, List.of()));
        byte[] tampered = signature.clone();
        tampered[tampered.length / 2] ^= 1;
        assertThrows(InvalidSignatureException.class,
                () -> OpenPgpMessage.verify(tampered, PublicKeys.read(Files.readAllBytes(exported), "pub.gpg")));
    }

    @Test
    void keysAreFoundByKeyIdAndEmailToo() throws Exception {
        GnupgKeyring ring = GnupgKeyring.at(gpg.home());
        char[] pass = GnupgHome.PASSPHRASE.toCharArray();
        assertEquals(gpg.fingerprint(), ring.signingKey(gpg.fingerprint().substring(24).toLowerCase(), pass).fingerprint());
        assertEquals(gpg.fingerprint(), ring.signingKey("signer@example.com", pass).fingerprint());
    }

    @Test
    void aWrongOrMissingPassphraseOrAnUnknownKeyIsOneClearError() {
        GnupgKeyring ring = GnupgKeyring.at(gpg.home());
        HoistException wrong = assertThrows(HoistException.class, () -> ring.signingKey(gpg.fingerprint(), "nope".toCharArray()));
        assertEquals("wrong passphrase for the secret key " + gpg.fingerprint() + " in " + gpg.home(), wrong.getMessage());
        HoistException missing = assertThrows(HoistException.class, () -> ring.signingKey(gpg.fingerprint(), null));
        assertTrue(missing.getMessage().contains("is protected by a passphrase; give it with --sign-passphrase-file"), missing::getMessage);
        HoistException unknown = assertThrows(HoistException.class, () -> ring.signingKey("0123456789ABCDEF", null));
        assertEquals("no key 0123456789ABCDEF in the GnuPG home " + gpg.home(), unknown.getMessage());
    }
}
