package hoist.engine.compress;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Writes zstd frames one after another to a stream with one reused compression context:
 * {@link #write} adds to the current frame, {@link #endFrame()} closes it so that the next byte
 * starts a new, independently decodable frame. {@link #offset()} is the number of compressed bytes
 * written to the target so far, which is where the next frame starts once the current one ends.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8878#section-3.1">RFC 8878 section 3.1, frames</a>
 */
final class FrameWriter implements AutoCloseable {

    private static final int BUFFER = 128 * 1024;

    private final OutputStream out;
    private final ZstdCompressCtx ctx = new ZstdCompressCtx();
    private final ByteBuffer src = ByteBuffer.allocateDirect(BUFFER);
    private final ByteBuffer dst = ByteBuffer.allocateDirect(BUFFER + (BUFFER >> 7) + 1024);
    private final byte[] copy = new byte[dst.capacity()];
    private long offset;
    private boolean open;

    /** Frames at zstd {@code level} (1-22), each with a content checksum. */
    FrameWriter(OutputStream out, int level) {
        this.out = out;
        ctx.setLevel(level);
        ctx.setChecksum(true);
    }

    void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, src.remaining());
            src.put(b, off, n);
            off += n;
            len -= n;
            open = true;
            if (!src.hasRemaining()) {
                compress(EndDirective.CONTINUE);
            }
        }
    }

    /** Ends the current frame; nothing happens when no byte was written since the last end. */
    void endFrame() throws IOException {
        if (open) {
            compress(EndDirective.END);
            open = false;
        }
    }

    /** Compressed bytes written to the target so far. */
    long offset() {
        return offset;
    }

    /** Writes bytes to the target between frames (a skippable frame); the current frame must be ended. */
    void writeRaw(byte[] b) throws IOException {
        if (open) {
            throw new IllegalStateException("a frame is open");
        }
        out.write(b);
        offset += b.length;
    }

    private void compress(EndDirective directive) throws IOException {
        src.flip();
        boolean done;
        do {
            dst.clear();
            done = ctx.compressDirectByteBufferStream(dst, src, directive);
            dst.flip();
            int n = dst.remaining();
            dst.get(copy, 0, n);
            out.write(copy, 0, n);
            offset += n;
        } while (directive == EndDirective.CONTINUE ? src.hasRemaining() : !done);
        src.clear();
    }

    @Override
    public void close() {
        ctx.close();
    }
}
