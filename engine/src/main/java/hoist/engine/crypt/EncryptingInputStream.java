package hoist.engine.crypt;

import hoist.engine.image.Digest;
import hoist.engine.io.BulkInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;

/**
 * The ciphertext of a layer, made while it is read: each chunk of the plain stream is AES-256-CTR
 * encrypted in place and added to the HMAC, so nothing but one chunk is held. Once the end has
 * been read, {@link #hmac()} and {@link #plainDigest()} (the sha256 digest of the bytes that were
 * encrypted, ocicrypt's private {@code digest}) are known.
 */
public final class EncryptingInputStream extends BulkInputStream {

    private final InputStream plain;
    private final CtrInPlace ctr;
    private final Mac mac;
    private final MessageDigest plainDigest;
    private final Digest knownDigest;
    private byte[] hmac;
    private Digest digest;

    /** Encrypts {@code plain} (closed with this stream) with {@code keys}. */
    public EncryptingInputStream(InputStream plain, LayerCipher keys) {
        this(plain, keys, null);
    }

    /**
     * As {@link #EncryptingInputStream(InputStream, LayerCipher)}; {@code knownDigest} (null:
     * computed here) is the digest of {@code plain} when something else verifies it already, which
     * saves a pass of SHA-256 over the layer.
     */
    public EncryptingInputStream(InputStream plain, LayerCipher keys, Digest knownDigest) {
        this.plain = plain;
        this.knownDigest = knownDigest;
        this.plainDigest = knownDigest == null ? Digest.messageDigest("sha256") : null;
        this.ctr = new CtrInPlace(keys.ctr());
        this.mac = keys.hmac();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (hmac != null) {
            return -1;
        }
        int n = plain.read(buffer, offset, length);
        if (n < 0) {
            hmac = mac.doFinal();
            digest = knownDigest != null ? knownDigest : new Digest("sha256", HexFormat.of().formatHex(plainDigest.digest()));
            return -1;
        }
        if (plainDigest != null) {
            plainDigest.update(buffer, offset, n);
        }
        ctr.apply(buffer, offset, n);
        mac.update(buffer, offset, n);
        return n;
    }

    /**
     * The HMAC-SHA256 of the whole ciphertext, 32 bytes.
     *
     * @throws IllegalStateException before the end of the stream was read
     */
    public byte[] hmac() {
        if (hmac == null) {
            throw new IllegalStateException("the layer has not been read to its end");
        }
        return hmac.clone();
    }

    /**
     * The sha256 digest of the plain bytes that were encrypted.
     *
     * @throws IllegalStateException before the end of the stream was read
     */
    public Digest plainDigest() {
        if (digest == null) {
            throw new IllegalStateException("the layer has not been read to its end");
        }
        return digest;
    }

    @Override
    public void close() throws IOException {
        plain.close();
    }
}
