package hoist.engine.io;

import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that implements only the bulk {@link #read(byte[], int, int)}; the single-byte
 * {@link #read()} is made from it. Every stream of blob bytes is read in bulk, so the single-byte
 * form only has to be correct.
 */
public abstract class BulkInputStream extends InputStream {

    /** One byte (0-255), or -1 at the end of the stream. */
    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] buffer, int offset, int length) throws IOException;
}
