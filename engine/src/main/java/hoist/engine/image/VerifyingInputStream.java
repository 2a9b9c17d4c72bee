package hoist.engine.image;

import hoist.engine.io.DigestMismatchException;

import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a blob through and, at its end, checks it against the expected digest and size. A
 * mismatch is thrown from the read that reached the end, so a reader that stores only after
 * reading to the end never stores a corrupt blob. Too many bytes fail as soon as they arrive.
 */
public class VerifyingInputStream extends DigestingInputStream {

    private final Digest expected;
    private final long expectedSize;
    private final String what;
    private boolean verified;

    /** {@code expectedSize} -1 means unknown; {@code what} names the blob in errors. */
    public VerifyingInputStream(InputStream in, Digest expected, long expectedSize, String what) {
        super(in, expected.algorithm());
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        check(b < 0);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int n = super.read(buffer, offset, length);
        check(n < 0);
        return n;
    }

    private void check(boolean atEnd) {
        if (expectedSize >= 0 && count() > expectedSize) {
            throw new DigestMismatchException(what + " " + expected + " is larger than the " + expectedSize
                    + " bytes its descriptor declares");
        }
        if (atEnd && !verified) {
            verified = true;
            if (expectedSize >= 0 && count() != expectedSize) {
                throw new DigestMismatchException(what + " " + expected + " has " + count() + " bytes, but its descriptor declares "
                        + expectedSize);
            }
            Digest actual = digest();
            if (!actual.equals(expected)) {
                throw new DigestMismatchException(what + " " + expected + " does not match its content (actual digest "
                        + actual + ")");
            }
        }
    }
}
