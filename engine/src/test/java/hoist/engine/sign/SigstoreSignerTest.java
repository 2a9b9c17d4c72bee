package hoist.engine.sign;

import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.testing.CosignKeys;
import hoist.engine.transport.DockerReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cosign's encrypted and plain key files are read, and what they sign verifies with the public key. */
class SigstoreSignerTest {

    @TempDir
    Path temp;

    private static PublicKey publicKey(Path pem) throws Exception {
        String text = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "");
        return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(text)));
    }

    @Test
    void anEncryptedCosignKeySignsThePayloadItDescribes() throws Exception {
        CosignKeys.Files3 keys = CosignKeys.create(temp, "pass phrase");
        SigstoreSigner signer = new SigstoreSigner(SigstorePrivateKey.load(keys.privateKey(), "pass phrase".toCharArray()));
        Digest digest = Digest.sha256("manifest");
        SigstoreSigner.SigstoreSignature signature = signer.sign(DockerReference.parse("example.com/team/app:1"), digest);
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(publicKey(keys.publicKey()));
        verifier.update(signature.payload());
        assertTrue(verifier.verify(Base64.getDecoder().decode(signature.signature())));
        SignaturePayload payload = SignaturePayload.parse(signature.payload(), SignaturePayload.SIGSTORE_TYPE);
        assertEquals(digest, payload.manifestDigest());
        assertEquals("example.com/team/app:1", payload.dockerReference());
    }

    @Test
    void aPlainPkcs8KeyNeedsNoPassphraseAndAWrongOneIsRefused() throws Exception {
        CosignKeys.Files3 keys = CosignKeys.create(temp, "right");
        assertEquals("EC", SigstorePrivateKey.load(keys.plainKey(), null).getAlgorithm());
        HoistException wrong = assertThrows(HoistException.class, () -> SigstorePrivateKey.load(keys.privateKey(), "wrong".toCharArray()));
        assertEquals("wrong passphrase for the sigstore private key " + keys.privateKey(), wrong.getMessage());
        HoistException none = assertThrows(HoistException.class, () -> SigstorePrivateKey.load(keys.privateKey(), null));
        assertEquals(keys.privateKey() + ": the key is encrypted; give its passphrase with --sign-passphrase-file", none.getMessage());
    }

    @Test
    void aParameterFileNamingFulcioOrRekorIsRefused() throws Exception {
        Path params = Files.writeString(temp.resolve("p.yaml"), "privateKeyFile: k\nrekorURL: https://rekor.example\n");
        HoistException refused = assertThrows(HoistException.class, () -> SigstoreParams.signer(params));
        assertTrue(refused.getMessage().contains("Fulcio and uploads to Rekor are not supported"), refused::getMessage);
    }
}
