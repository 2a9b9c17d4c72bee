package hoist.engine.copy;

import hoist.engine.image.Digest;
import hoist.engine.image.DigestingInputStream;
import hoist.engine.io.DigestMismatchException;

import java.io.IOException;
import java.io.InputStream;

/**
 * A layer's uncompressed bytes, checked at their end against the diff ID its image's config
 * lists for it ({@code rootfs.diff_ids[i]}). A copy that decompresses a layer gets this digest for
 * the price of hashing; an image whose config names other content than its layers hold is refused
 * rather than written, since every runtime that unpacks it would refuse it later.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/config.md#layer-diffid">OCI image config: layer DiffID</a>
 */
final class DiffIdCheck extends DigestingInputStream {

    private final Digest expected;
    private final String what;
    private boolean checked;

    /**
     * @param uncompressed the layer's uncompressed bytes
     * @param expected     the config's diff ID for the layer
     * @param what         names the layer in the error ("layer sha256:... of oci:/tmp/x:1")
     */
    DiffIdCheck(InputStream uncompressed, Digest expected, String what) {
        super(uncompressed, expected.algorithm());
        this.expected = expected;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            check();
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            check();
        }
        return n;
    }

    private void check() {
        if (checked) {
            return;
        }
        checked = true;
        Digest actual = digest();
        if (!actual.equals(expected)) {
            throw new DigestMismatchException(what + ": its uncompressed content is " + actual
                    + ", but the config's diff ID for it is " + expected);
        }
    }
}
