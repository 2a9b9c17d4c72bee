package hoist.engine.compress;

import hoist.engine.io.BulkInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reading from this gives the bytes of {@code in} compressed. Works by pulling a chunk of input
 * through the compressor into a small buffer on demand, so no thread and no whole blob is needed.
 */
public final class CompressingInputStream extends BulkInputStream {

    private static final int CHUNK = 128 * 1024;

    private final InputStream in;
    private final ExposedBuffer buffer = new ExposedBuffer();
    private final OutputStream compressor;
    private final byte[] chunk = new byte[CHUNK];
    private int position;
    private boolean finished;

    public CompressingInputStream(InputStream in, Compression compression, Integer level) throws IOException {
        this.in = in;
        this.compressor = compression.compress(buffer, level);
    }


    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (position >= buffer.size()) {
            if (finished) {
                return -1;
            }
            fill();
        }
        int n = Math.min(length, buffer.size() - position);
        System.arraycopy(buffer.bytes(), position, target, offset, n);
        position += n;
        return n;
    }

    private void fill() throws IOException {
        buffer.reset();
        position = 0;
        int n = in.read(chunk);
        if (n < 0) {
            compressor.close();
            finished = true;
        } else {
            compressor.write(chunk, 0, n);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** A ByteArrayOutputStream whose array can be read without a copy. */
    private static final class ExposedBuffer extends ByteArrayOutputStream {
        ExposedBuffer() {
            super(CHUNK + 1024);
        }

        byte[] bytes() {
            return buf;
        }

        @Override
        public void close() {
            // The compressor closes its target when finished; the buffer must stay readable.
        }
    }
}
