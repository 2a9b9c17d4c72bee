package hoist.engine.crypt;

import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decryption and encryption one layer goes through in a copy, on either side of its
 * compression step: {@code decrypt -> decompress -> compress -> encrypt}.
 */
public final class LayerCryptStep {

    private final LayerDecryption decryption;
    private final LayerEncryption encryption;
    private final String what;

    LayerCryptStep(LayerDecryption decryption, LayerEncryption encryption, String what) {
        this.decryption = decryption;
        this.encryption = encryption;
        this.what = what;
    }

    /** The source's bytes decrypted, or as they are when the layer is not decrypted. */
    public InputStream decrypting(InputStream source) {
        return decryption == null ? source : decryption.decrypt(source);
    }

    /**
     * The bytes encrypted, or as they are when the layer is not encrypted. {@code knownDigest} is
     * the digest of {@code plain} when the chain verifies it already (the source's bytes, or what
     * decryption checks), null otherwise.
     */
    public InputStream encrypting(InputStream plain, Digest knownDigest) {
        return encryption == null ? plain : encryption.encrypt(plain, knownDigest);
    }

    /**
     * The digest of the plain bytes the chain verifies when they are the source layer's own
     * ({@code unchanged}: no compression step) or what a decryption checks; null otherwise.
     */
    public Digest verifiedPlainDigest(Descriptor source, boolean unchanged) {
        if (!unchanged) {
            return null;
        }
        return decryption == null ? source.digest() : decryption.plainDigest();
    }

    /**
     * The descriptor the layer gets at the destinations, from the one made of the bytes stored
     * there: without the source's encryption annotations when decrypted, with the new ones when
     * encrypted (called after the bytes were stored).
     */
    public Descriptor describe(Descriptor stored) {
        Map<String, String> annotations = new LinkedHashMap<>(decryption == null && encryption == null
                ? stored.annotations() : LayerAnnotations.withoutEncryption(stored.annotations()));
        if (encryption != null) {
            annotations.putAll(encryption.annotations());
        }
        return stored.withAnnotations(annotations);
    }

    @Override
    public String toString() {
        return what + (decryption != null ? " decrypted" : "") + (encryption != null ? " encrypted" : "");
    }
}
