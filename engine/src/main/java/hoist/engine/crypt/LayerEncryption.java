package hoist.engine.crypt;

import hoist.engine.HoistException;

import java.io.InputStream;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One layer's encryption: a key and nonce made once, so that every read of the layer (a
 * destination sent the blob again) gives the same ciphertext, and the annotations that describe
 * it once a read has reached the end.
 *
 * @see <a href="https://github.com/containers/ocicrypt/blob/main/encryption.go">ocicrypt EncryptLayer</a>
 */
public final class LayerEncryption {

    private final EncryptionRecipients recipients;
    private final LayerCipher cipher = LayerCipher.generate();
    private EncryptingInputStream last;
    private Map<String, String> annotations;

    /** A new random layer key for {@code recipients}. */
    public LayerEncryption(EncryptionRecipients recipients) {
        this.recipients = recipients;
    }

    /**
     * The ciphertext of {@code plain}; {@code knownDigest} (null: computed while encrypting) is
     * the digest of {@code plain} when another part of the chain verifies it.
     */
    public synchronized InputStream encrypt(InputStream plain, hoist.engine.image.Digest knownDigest) {
        last = new EncryptingInputStream(plain, cipher, knownDigest);
        return last;
    }

    /**
     * The encryption annotations: the layer key wrapped for every recipient, and the public
     * options with the HMAC.
     *
     * @throws HoistException when no read has reached the end of the layer
     */
    public synchronized Map<String, String> annotations() {
        if (annotations != null) {
            return annotations;
        }
        if (last == null) {
            throw new IllegalStateException("the layer was never encrypted");
        }
        byte[] hmac = last.hmac();
        byte[] privateOptions = CipherOptions.privateJson(new CipherOptions.Private(cipher, last.plainDigest()));
        Map<String, String> result = new LinkedHashMap<>(recipients.wrap(privateOptions));
        if (result.isEmpty()) {
            throw new HoistException("no wrapped keys produced by encryption: no recipient was given");
        }
        result.put(LayerAnnotations.PUBOPTS, Base64.getEncoder().encodeToString(CipherOptions.publicJson(hmac)));
        annotations = Map.copyOf(result);
        return annotations;
    }

}
