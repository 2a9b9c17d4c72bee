package hoist.engine.compress;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

/** The JDK's zlib: {@link Deflater} for blocks, {@link GZIPInputStream} to read. */
final class JdkDeflate implements DeflateEngine {

    static final JdkDeflate INSTANCE = new JdkDeflate(null);

    private final String reason;

    /** {@code reason}: why the native engine is not used, or null. */
    JdkDeflate(String reason) {
        this.reason = reason;
    }

    @Override
    public String description() {
        return "JDK zlib" + (reason == null ? "" : " (ISA-L not used: " + reason + ")");
    }

    /** zlib's fastest: about three times as fast as its 6, and within 5% of skopeo's size. */
    @Override
    public int defaultLevel() {
        return 1;
    }

    @Override
    public BlockDeflater newBlockDeflater(int level) {
        return new Block(level);
    }

    @Override
    public InputStream gunzip(InputStream in) throws IOException {
        return new GZIPInputStream(in, 64 * 1024);
    }

    /**
     * One reused raw {@link Deflater}; each block is a reset, a dictionary and a sync flush. The
     * output is taken 64 KiB per call: the JDK holds its arrays pinned (no garbage collection can
     * run) for the length of a call, and a whole block per call made the heap grow instead.
     */
    static final class Block implements BlockDeflater {
        private static final int SLICE = 64 * 1024;
        private final Deflater deflater;

        Block(int level) {
            deflater = new Deflater(level, true);
        }

        @Override
        public Output deflate(byte[] dictionary, int dictionaryLength, byte[] in, int inLength, byte[] out) {
            deflater.reset();
            if (dictionaryLength > 0) {
                deflater.setDictionary(dictionary, 0, dictionaryLength);
            }
            deflater.setInput(in, 0, inLength);
            byte[] buffer = out;
            int length = 0;
            while (true) {
                if (length == buffer.length) {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                }
                int room = Math.min(SLICE, buffer.length - length);
                int n = deflater.deflate(buffer, length, room, Deflater.SYNC_FLUSH);
                length += n;
                if (n < room && deflater.needsInput()) {
                    return new Output(buffer, length);
                }
            }
        }

        @Override
        public void close() {
            deflater.end();
        }
    }
}
