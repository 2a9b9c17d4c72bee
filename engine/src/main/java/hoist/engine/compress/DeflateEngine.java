package hoist.engine.compress;

import java.io.IOException;
import java.io.InputStream;

/**
 * The deflate implementation gzip uses in this process: ISA-L's igzip through a JNI binding when
 * it was built and its library loads, the JDK's zlib ({@link java.util.zip.Deflater}) otherwise.
 * Both produce the same format (one gzip member of byte-aligned deflate blocks) and keep every
 * feature; the native one is faster.
 *
 * <p>The choice is made once per process. {@code -Dhoist.deflate=jdk} or the environment variable
 * {@code HOIST_DEFLATE=jdk} forces the JDK's; {@code isal} (the default) uses ISA-L when it loads.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1951">RFC 1951 (DEFLATE)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1952">RFC 1952 (gzip)</a>
 */
public sealed interface DeflateEngine permits IsalDeflate, JdkDeflate {

    /** What this engine is, for {@code hoist --version}: e.g. {@code "ISA-L 2.30 (native)"}. */
    String description();

    /**
     * The gzip level (zlib's scale) used when none is given: the fastest level whose output stays
     * within 5% of skopeo's default gzip (measured by {@code bench/compression.sh} on a mixed
     * 1.1 GB image: ISA-L's level 3, zlib's 6, is 2% larger; zlib's 1 about 3% larger).
     */
    int defaultLevel();

    /**
     * A compressor of independent blocks at {@code level} (zlib's scale, 0-9: 0 stores, 1 fastest,
     * 9 smallest), mapped onto the engine's own levels. Not thread-safe: one per thread.
     */
    BlockDeflater newBlockDeflater(int level);

    /**
     * Wraps a gzip stream (one or more members, RFC 1952) so that reading it gives the
     * uncompressed bytes; each member's CRC-32 and size are verified.
     *
     * @throws java.util.zip.ZipException (when read) for data that is not valid gzip
     */
    InputStream gunzip(InputStream in) throws IOException;

    /** The engine in use in this process (decided on first use). */
    static DeflateEngine current() {
        return DeflateEngines.CURRENT;
    }

    /** The JDK's engine, whatever {@link #current()} is: for comparisons and tests. */
    static DeflateEngine jdk() {
        return JdkDeflate.INSTANCE;
    }

    /** Compresses one block of input into raw deflate that ends on a byte boundary (a sync flush). */
    interface BlockDeflater extends AutoCloseable {

        /**
         * Compresses {@code in[0..inLength)}, primed with {@code dictionary[0..dictionaryLength)}
         * (the preceding 32 KiB of the stream, or nothing), into raw deflate blocks ending with
         * an empty stored block, none of them final.
         *
         * @param out a buffer to try first; a larger one is returned when it is too small
         * @return the buffer holding the output, and its length
         */
        Output deflate(byte[] dictionary, int dictionaryLength, byte[] in, int inLength, byte[] out) throws IOException;

        @Override
        void close();
    }

    /** {@code bytes[0..length)} is a block's compressed output. */
    record Output(byte[] bytes, int length) {
    }
}
