package hoist.engine.crypt;

import hoist.engine.image.Descriptor;

import java.io.InputStream;

/**
 * The key and checks of one encrypted layer, unwrapped from its annotations before a byte is
 * read: its cipher keys, the HMAC the ciphertext must have, and the digest the plain bytes must
 * have.
 *
 * @see <a href="https://github.com/containers/ocicrypt/blob/main/encryption.go">ocicrypt DecryptLayer</a>
 */
public final class LayerDecryption {

    private final CipherOptions.Private options;
    private final byte[] hmac;
    private final String what;

    private LayerDecryption(CipherOptions.Private options, byte[] hmac, String what) {
        this.options = options;
        this.hmac = hmac;
        this.what = what;
    }

    /**
     * Unwraps the key of {@code layer} with {@code keys}.
     *
     * @param what names the layer in errors
     * @throws hoist.engine.HoistException when an annotation is missing or not valid, or no key opens the layer
     */
    public static LayerDecryption open(Descriptor layer, DecryptionKeys keys, String what) {
        byte[] hmac = CipherOptions.hmacOf(layer.annotations().get(LayerAnnotations.PUBOPTS), what);
        byte[] privateOptions = keys.unwrap(layer.annotations(), what);
        return new LayerDecryption(CipherOptions.parsePrivate(privateOptions, what), hmac, what);
    }

    /** The digest the plain bytes are checked against; null when the wrapped options name none. */
    public hoist.engine.image.Digest plainDigest() {
        return options.digest();
    }

    /** The plain bytes of {@code ciphertext}; the last read fails when the HMAC or digest does not match. */
    public InputStream decrypt(InputStream ciphertext) {
        return new DecryptingInputStream(ciphertext, options.keys(), hmac, options.digest(), what);
    }
}
