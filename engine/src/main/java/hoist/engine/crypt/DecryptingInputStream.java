package hoist.engine.crypt;

import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.io.BulkInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;

/**
 * The plain bytes of an encrypted layer, made while it is read: the HMAC-SHA256 of the ciphertext
 * and the digest of the plain bytes are checked when the end is reached, before the end is
 * reported, so a consumer never sees a complete stream from a tampered or truncated layer: the
 * last read fails with a {@link HoistException} naming {@code what}.
 */
public final class DecryptingInputStream extends BulkInputStream {

    private final InputStream ciphertext;
    private final CtrInPlace ctr;
    private final Mac mac;
    private final byte[] expectedHmac;
    private final Digest expectedDigest;
    private final MessageDigest plainDigest;
    private final String what;
    private boolean verified;

    /**
     * @param ciphertext     the encrypted layer, closed with this stream
     * @param keys           the layer's key and nonce
     * @param expectedHmac   the HMAC from the public options, 32 bytes
     * @param expectedDigest the digest of the plain bytes from the private options; null: not checked
     * @param what           names the layer in errors ({@code layer sha256:... of SOURCE})
     */
    public DecryptingInputStream(InputStream ciphertext, LayerCipher keys, byte[] expectedHmac, Digest expectedDigest,
                                 String what) {
        this.ciphertext = ciphertext;
        this.ctr = new CtrInPlace(keys.ctr());
        this.mac = keys.hmac();
        this.expectedHmac = expectedHmac.clone();
        this.expectedDigest = expectedDigest;
        this.plainDigest = expectedDigest == null ? null : expectedDigest.newMessageDigest();
        this.what = what;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (verified) {
            return -1;
        }
        int n = ciphertext.read(buffer, offset, length);
        if (n < 0) {
            verify();
            verified = true;
            return -1;
        }
        mac.update(buffer, offset, n);
        ctr.apply(buffer, offset, n);
        if (plainDigest != null) {
            plainDigest.update(buffer, offset, n);
        }
        return n;
    }

    private void verify() {
        if (!MessageDigest.isEqual(mac.doFinal(), expectedHmac)) {
            throw new HoistException(what + ": the HMAC of the encrypted layer does not match its "
                    + LayerAnnotations.PUBOPTS + " annotation: the layer was altered or truncated");
        }
        if (plainDigest != null) {
            Digest actual = new Digest(expectedDigest.algorithm(), HexFormat.of().formatHex(plainDigest.digest()));
            if (!actual.equals(expectedDigest)) {
                throw new HoistException(what + ": decrypted to " + actual + ", its wrapped key says " + expectedDigest);
            }
        }
    }

    @Override
    public void close() throws IOException {
        ciphertext.close();
    }
}
