package hoist.engine.crypt;

import hoist.engine.image.Digest;
import hoist.engine.io.BulkInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.Mac;

/**
 * The ciphertext of a layer, made while it is read: each chunk of the plain stream is AES-256-CTR
 * encrypted in place and added to the HMAC, so nothing but one chunk is held. Once the end has
 * been read, {@link #hmac()} and {@link #plainDigest()} (the sha256 digest of the bytes that were
 * encrypted, ocicrypt's private {@code digest}) are known.
 */
public final class EncryptingInputStream extends BulkInputStream {

    private final InputStream plain;
    private final Cipher cipher;
    private final Mac mac;
    private final MessageDigest plainDigest = Digest.messageDigest("sha256");
    private byte[] hmac;
    private Digest digest;

    /** Encrypts {@code plain} (closed with this stream) with {@code keys}. */
    public EncryptingInputStream(InputStream plain, LayerCipher keys) {
        this.plain = plain;
        this.cipher = keys.ctr();
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
            digest = new Digest("sha256", HexFormat.of().formatHex(plainDigest.digest()));
            return -1;
        }
        plainDigest.update(buffer, offset, n);
        try {
            // CTR is a stream cipher: as many bytes out as in, in place
            int out = cipher.update(buffer, offset, n, buffer, offset);
            if (out != n) {
                throw new IllegalStateException("AES-CTR returned " + out + " bytes for " + n);
            }
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException(e);
        }
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
