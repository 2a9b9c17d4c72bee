package hoist.engine.compress;

import hoist.engine.io.BulkInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reading this gives {@code plain} (a tar stream) compressed as zstd:chunked. The compression runs
 * on one thread of its own, a few 256 KiB blocks ahead of the reader; {@link #annotations()} gives
 * the layer annotations once the stream has been read to its end. Closing the stream early stops
 * the thread and closes {@code plain}.
 *
 * @see ZstdChunked
 */
public final class ZstdChunkedInputStream extends BulkInputStream {

    private static final int BLOCK = 256 * 1024;
    private static final byte[] END = new byte[0];

    private final InputStream plain;
    private final BlockingQueue<byte[]> blocks = new ArrayBlockingQueue<>(4);
    private final Thread worker;
    private volatile boolean closed;
    private volatile Throwable failure;
    private volatile Map<String, String> annotations;
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;

    /** Starts compressing {@code plain} at zstd {@code level} (1-20). */
    public ZstdChunkedInputStream(InputStream plain, int level) {
        this.plain = plain;
        this.worker = new Thread(() -> run(level), "zstd-chunked");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    private void run(int level) {
        try (BlockOutput out = new BlockOutput()) {
            Map<String, String> result = ZstdChunkedWriter.write(plain, out, level);
            out.flushBlock();
            annotations = Map.copyOf(result);
        } catch (Throwable e) {
            failure = e;
        } finally {
            try {
                put(END);
            } catch (InterruptedIOException e) {
                // the reader is gone
            }
        }
    }

    /**
     * The zstd:chunked annotations of the blob read: {@link ZstdChunked#MANIFEST_CHECKSUM},
     * {@link ZstdChunked#MANIFEST_POSITION} and {@link ZstdChunked#TARSPLIT_POSITION}.
     *
     * @throws IllegalStateException before the stream has been read to its end
     */
    public Map<String, String> annotations() {
        if (annotations == null) {
            throw new IllegalStateException("the zstd:chunked stream has not been read to its end");
        }
        return annotations;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (position >= current.length) {
            if (ended) {
                return -1;
            }
            byte[] next;
            try {
                next = blocks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while compressing as zstd:chunked");
            }
            if (next == END) {
                ended = true;
                Throwable f = failure;
                if (f instanceof IOException io) {
                    throw io;
                }
                if (f != null) {
                    throw new IOException("zstd:chunked compression failed: " + f.getMessage(), f);
                }
                return -1;
            }
            current = next;
            position = 0;
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        worker.interrupt();
        blocks.clear();
        plain.close();
    }

    private void put(byte[] block) throws InterruptedIOException {
        try {
            while (!blocks.offer(block, 100, TimeUnit.MILLISECONDS)) {
                if (closed) {
                    throw new InterruptedIOException("zstd:chunked stream closed by its reader");
                }
            }
        } catch (InterruptedException e) {
            throw new InterruptedIOException("zstd:chunked stream closed by its reader");
        }
    }

    /** Gathers output into blocks and hands them to the reader. */
    private final class BlockOutput extends OutputStream {
        private byte[] block = new byte[BLOCK];
        private int size;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, BLOCK - size);
                System.arraycopy(b, off, block, size, n);
                size += n;
                off += n;
                len -= n;
                if (size == BLOCK) {
                    flushBlock();
                }
            }
        }

        void flushBlock() throws IOException {
            if (closed) {
                throw new InterruptedIOException("zstd:chunked stream closed by its reader");
            }
            if (size > 0) {
                put(java.util.Arrays.copyOf(block, size));
                size = 0;
            }
        }
    }
}
