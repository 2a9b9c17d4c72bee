package hoist.engine.copy;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Ends only after the raw source below it has been read to its own end. A decompressor may stop
 * before the compressed stream's last bytes; draining them lets the source's digest be verified.
 */
final class DrainingInputStream extends FilterInputStream {

    private final InputStream raw;
    private boolean drained;

    DrainingInputStream(InputStream decoded, InputStream raw) {
        super(decoded);
        this.raw = raw;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            drain();
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            drain();
        }
        return n;
    }

    private void drain() throws IOException {
        if (!drained) {
            drained = true;
            raw.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }
}
