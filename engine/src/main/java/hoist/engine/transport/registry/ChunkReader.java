package hoist.engine.transport.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a stream in fixed-size chunks one step ahead of the sender, on a thread of its own, so
 * reading (and verifying, decompressing, compressing) the source overlaps with sending the
 * previous chunk to the registry. Two buffers circulate: memory is two chunks per upload.
 */
final class ChunkReader implements AutoCloseable {

    /** {@code length} bytes of {@code bytes}; shorter than the buffer only at the end of the stream. */
    record Chunk(byte[] bytes, int length) {
        boolean last() {
            return length < bytes.length;
        }
    }

    /** What the reading thread hands over: a chunk, or the source's failure. */
    private record Handover(Chunk chunk, Throwable failure) {
    }

    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(2);
    private final BlockingQueue<Handover> ready = new ArrayBlockingQueue<>(1);
    private final Thread thread;

    ChunkReader(InputStream in, byte[] first, byte[] second) {
        free.add(first);
        free.add(second);
        thread = new Thread(() -> readAll(in), "hoist-upload-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void readAll(InputStream in) {
        try {
            while (true) {
                byte[] buffer = free.take();
                int n = in.readNBytes(buffer, 0, buffer.length);
                Chunk chunk = new Chunk(buffer, n);
                ready.put(new Handover(chunk, null));
                if (chunk.last()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException | Error e) {
            ready.offer(new Handover(null, e));
        }
    }

    /** The next chunk; the source's own exception if reading it failed. */
    Chunk next() throws IOException {
        Handover handover;
        try {
            handover = ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("upload cancelled");
        }
        Throwable failure = handover.failure();
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return handover.chunk();
    }

    /** Gives a sent chunk's buffer back for the next read. */
    void release(Chunk chunk) {
        free.offer(chunk.bytes());
    }

    /** Stops reading ahead (after the end, or when the upload failed). */
    @Override
    public void close() {
        thread.interrupt();
    }
}
