package hoist.engine.transport.registry;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The transfer buffers of one registry client, lent to its uploads and given back when each ends,
 * so that a push allocates them once rather than once per blob. Memory is one buffer per upload in
 * flight, whatever the blobs' sizes.
 *
 * <p>Lending never waits. When every kept buffer is out, a new one is made, and on its return it is
 * kept only if there is room. A pool that made uploads wait for a buffer could deadlock a fan-out:
 * one destination would wait for a buffer that another destination's upload holds, while that
 * upload waits for the next bytes of the one source read they share, which cannot go on until the
 * first destination takes its copy of them.
 */
public final class BufferPool {

    private final int bufferBytes;
    private final BlockingQueue<byte[]> kept;

    /**
     * @param bufferBytes size of each buffer, in bytes (more than 0)
     * @param keep        how many returned buffers are kept for later uploads (0 or more)
     * @throws IllegalArgumentException when a size is out of range
     */
    public BufferPool(int bufferBytes, int keep) {
        if (bufferBytes <= 0 || keep < 0) {
            throw new IllegalArgumentException("buffer size " + bufferBytes + " and count " + keep);
        }
        this.bufferBytes = bufferBytes;
        this.kept = keep == 0 ? null : new ArrayBlockingQueue<>(keep);
    }

    /** Size of each buffer, in bytes. */
    public int bufferBytes() {
        return bufferBytes;
    }

    /** A buffer of {@link #bufferBytes()} bytes, kept or new; at once, whatever others hold. */
    public byte[] lend() {
        byte[] buffer = kept == null ? null : kept.poll();
        return buffer != null ? buffer : new byte[bufferBytes];
    }

    /** Takes a lent buffer back; it is kept when there is room, left to the collector otherwise. */
    public void giveBack(byte[] buffer) {
        if (buffer != null && buffer.length == bufferBytes && kept != null) {
            kept.offer(buffer);
        }
    }

    /** How many buffers are kept now, waiting to be lent. */
    public int keptCount() {
        return kept == null ? 0 : kept.size();
    }
}
