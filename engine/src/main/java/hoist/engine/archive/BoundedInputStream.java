package hoist.engine.archive;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Exactly {@code size} bytes of the underlying stream; ending early is an error naming the entry. */
final class BoundedInputStream extends FilterInputStream {

    private long remaining;
    private final String what;

    BoundedInputStream(InputStream in, long size, String what) {
        super(in);
        this.remaining = size;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int b = super.read();
        if (b < 0) {
            throw new EOFException(what + " is truncated");
        }
        remaining--;
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int n = super.read(buffer, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw new EOFException(what + " is truncated");
        }
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, remaining));
        remaining -= skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(super.available(), remaining);
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
