package hoist.engine.crypt;

import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;

/**
 * An AES-CTR stream applied to a buffer in place, chunk after chunk. CTR encrypts and decrypts
 * alike, so both directions of the layer cipher use it.
 */
final class CtrInPlace {

    private final Cipher ctr;
    private byte[] scratch = new byte[0];

    /** @param ctr an AES-CTR cipher initialised with the layer's key and nonce ({@link LayerCipher#ctr()}) */
    CtrInPlace(Cipher ctr) {
        this.ctr = ctr;
    }

    /**
     * Replaces {@code buffer[offset, offset + n)} by its next {@code n} bytes of the CTR stream
     * applied, through a scratch array: the JDK copies its input on every call when input and
     * output are the same array.
     */
    void apply(byte[] buffer, int offset, int n) {
        if (scratch.length < n) {
            scratch = new byte[n];
        }
        try {
            int out = ctr.update(buffer, offset, n, scratch, 0);
            if (out != n) {
                throw new IllegalStateException("AES-CTR returned " + out + " bytes for " + n);
            }
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        System.arraycopy(scratch, 0, buffer, offset, n);
    }
}
