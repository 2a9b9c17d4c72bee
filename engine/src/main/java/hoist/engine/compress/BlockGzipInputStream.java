package hoist.engine.compress;

import hoist.engine.io.BulkInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.CRC32;

/**
 * Reading this gives {@code in} gzip-compressed, the blocks compressed in parallel: the input is
 * cut into blocks of {@link #BLOCK_SIZE} bytes, each compressed on a {@link CompressionWorkers}
 * thread with the 32 KiB before it as dictionary (so matches reach back across block boundaries
 * as in a sequential stream) into deflate ending on a byte boundary (a sync flush), and the
 * blocks are joined in order into ONE gzip member: a 10-byte header, the blocks, a final empty
 * block, and the trailer whose CRC-32 is combined from the blocks' CRCs. Any gzip reader reads it.
 *
 * <p>Memory is bounded: at most {@code inFlight} blocks (input and output, about 2 MiB each) per
 * stream. The bytes depend only on the input, the level and the engine, never on timing.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1952">RFC 1952</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1951">RFC 1951</a>
 */
public final class BlockGzipInputStream extends BulkInputStream {

    /** Uncompressed bytes per block. */
    public static final int BLOCK_SIZE = 1 << 20;
    private static final int DICTIONARY = 32 * 1024;
    /** ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=255 (unknown): the same bytes on every machine. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    /** A final block of fixed Huffman codes holding only the end-of-block code. */
    private static final byte[] FINAL_BLOCK = {0x03, 0x00};

    private static final ThreadLocal<Map<DeflateEngine, DeflateEngine.BlockDeflater[]>> DEFLATERS =
            ThreadLocal.withInitial(IdentityHashMap::new);

    private final InputStream in;
    private final DeflateEngine engine;
    private final int level;
    private final ExecutorService workers;
    private final int inFlight;
    private final ArrayDeque<Future<Done>> pending = new ArrayDeque<>();
    private final ArrayDeque<byte[]> freeInputs = new ArrayDeque<>();
    private final ArrayDeque<byte[]> freeOutputs = new ArrayDeque<>();
    private byte[] previousTail = new byte[0];
    private byte[] current = HEADER;
    private byte[] currentToFree;
    private int position;
    private int limit = HEADER.length;
    private boolean inputEnded;
    private boolean trailerWritten;
    private int crc;
    private long total;

    /**
     * @param level zlib's scale 0-9; null for the engine's {@link DeflateEngine#defaultLevel()}
     * @throws IllegalArgumentException for a level outside 0-9
     */
    public BlockGzipInputStream(InputStream in, DeflateEngine engine, Integer level) {
        this(in, engine, level, CompressionWorkers.pool(), CompressionWorkers.threads() + 1);
    }

    BlockGzipInputStream(InputStream in, DeflateEngine engine, Integer level, ExecutorService workers, int inFlight) {
        int chosen = level == null ? engine.defaultLevel() : level;
        if (chosen < 0 || chosen > 9) {
            throw new IllegalArgumentException("gzip level " + chosen + " is outside 0-9");
        }
        this.in = in;
        this.engine = engine;
        this.level = chosen;
        this.workers = workers;
        this.inFlight = Math.max(1, inFlight);
    }


    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (position == limit) {
            if (!advance()) {
                return -1;
            }
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(current, position, target, offset, n);
        position += n;
        return n;
    }

    /** Makes the next piece of output current; false at the end. */
    private boolean advance() throws IOException {
        if (currentToFree != null) {
            freeOutputs.push(currentToFree);
            currentToFree = null;
        }
        submitBlocks();
        Future<Done> head = pending.poll();
        if (head != null) {
            Done done = await(head);
            freeInputs.push(done.input);
            crc = Crc32Combination.combine(crc, done.crc, done.inputLength);
            total += done.inputLength;
            show(done.output.bytes(), done.output.length());
            currentToFree = done.output.bytes();
            return true;
        }
        if (trailerWritten) {
            return false;
        }
        trailerWritten = true;
        byte[] end = new byte[FINAL_BLOCK.length + 8];
        System.arraycopy(FINAL_BLOCK, 0, end, 0, FINAL_BLOCK.length);
        littleEndian(end, FINAL_BLOCK.length, crc);
        littleEndian(end, FINAL_BLOCK.length + 4, (int) total); // ISIZE: the length modulo 2^32
        show(end, end.length);
        return true;
    }

    private void show(byte[] bytes, int length) {
        current = bytes;
        position = 0;
        limit = length;
    }

    /** Reads blocks of input and hands them to the workers until {@code inFlight} are pending. */
    private void submitBlocks() throws IOException {
        while (!inputEnded && pending.size() < inFlight) {
            byte[] block = freeInputs.isEmpty() ? new byte[BLOCK_SIZE] : freeInputs.pop();
            int n = in.readNBytes(block, 0, BLOCK_SIZE);
            if (n == 0) {
                inputEnded = true;
                freeInputs.push(block);
                return;
            }
            if (n < BLOCK_SIZE) {
                inputEnded = true;
            }
            byte[] dictionary = previousTail;
            // the window of the next block; a block shorter than that is the last one
            previousTail = java.util.Arrays.copyOfRange(block, Math.max(0, n - DICTIONARY), n);
            byte[] out = freeOutputs.isEmpty() ? new byte[BLOCK_SIZE + BLOCK_SIZE / 16 + 1024] : freeOutputs.pop();
            DeflateEngine blockEngine = engine;
            int blockLevel = level;
            pending.add(workers.submit(() -> compress(blockEngine, blockLevel, dictionary, block, n, out)));
        }
    }

    private static Done compress(DeflateEngine engine, int level, byte[] dictionary, byte[] block, int length, byte[] out)
            throws IOException {
        DeflateEngine.BlockDeflater[] byLevel = DEFLATERS.get().computeIfAbsent(engine, e -> new DeflateEngine.BlockDeflater[10]);
        if (byLevel[level] == null) {
            byLevel[level] = engine.newBlockDeflater(level);
        }
        CRC32 crc = new CRC32();
        crc.update(block, 0, length);
        DeflateEngine.Output output = byLevel[level].deflate(dictionary, dictionary.length, block, length, out);
        return new Done(block, length, (int) crc.getValue(), output);
    }

    private static Done await(Future<Done> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("gzip compression interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        } catch (CancellationException e) {
            throw new InterruptedIOException("gzip compression cancelled");
        }
    }

    private static void littleEndian(byte[] target, int offset, int value) {
        for (int i = 0; i < 4; i++) {
            target[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    /** Cancels the blocks still pending and closes the input. */
    @Override
    public void close() throws IOException {
        for (Future<Done> future : pending) {
            future.cancel(false);
        }
        pending.clear();
        in.close();
    }

    private record Done(byte[] input, int inputLength, int crc, DeflateEngine.Output output) {
    }
}
