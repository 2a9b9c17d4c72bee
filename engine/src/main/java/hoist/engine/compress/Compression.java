package hoist.engine.compress;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import hoist.engine.HoistException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * How a layer's tar is compressed, as the {@code --compression-format} flag names it.
 * {@link #ZSTD_CHUNKED} is zstd with a table of contents (see {@link ZstdChunked}): its media
 * type and magic bytes are zstd's, so reading one is reading zstd ({@link #detect} never answers
 * ZSTD_CHUNKED), and only writing differs.
 */
public enum Compression {
    NONE("none", new byte[0]),
    GZIP("gzip", new byte[] {0x1f, (byte) 0x8b, 0x08}),
    ZSTD("zstd", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}),
    ZSTD_CHUNKED("zstd:chunked", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});

    /** Bytes needed to recognize every algorithm. */
    public static final int MAGIC_LENGTH = 4;

    private final String flag;
    private final byte[] magic;

    Compression(String flag, byte[] magic) {
        this.flag = flag;
        this.magic = magic;
    }

    public String flag() {
        return flag;
    }

    /**
     * The algorithm a reader needs: {@link #ZSTD} for {@link #ZSTD_CHUNKED}, itself otherwise.
     * Layers of the same base algorithm are kept as they are unless recompression is forced.
     */
    public Compression base() {
        return this == ZSTD_CHUNKED ? ZSTD : this;
    }

    /**
     * What a layer that is to be encrypted gets instead of this compression: zstd:chunked's table
     * of contents would describe the plain files outside the encryption, so such a layer is
     * written as plain {@link #ZSTD}; every other compression is kept.
     */
    public Compression forEncryptedLayer() {
        return base();
    }

    /** Parses a {@code --compression-format} value. */
    public static Compression parse(String text) {
        return switch (text) {
            case "gzip" -> GZIP;
            case "zstd" -> ZSTD;
            case "zstd:chunked" -> ZSTD_CHUNKED;
            case "none", "uncompressed" -> NONE;
            default -> throw HoistException.usage("unknown --compression-format \"" + text + "\": expected gzip, zstd or zstd:chunked");
        };
    }

    /** What the first bytes of a blob say its compression is. */
    public static Compression detect(byte[] head, int length) {
        for (Compression c : new Compression[] {GZIP, ZSTD}) {
            if (length >= c.magic.length && Arrays.equals(head, 0, c.magic.length, c.magic, 0, c.magic.length)) {
                return c;
            }
        }
        return NONE;
    }

    /**
     * Detects the compression of a stream without consuming it: the returned stream still
     * starts at its first byte.
     */
    public static Detected detect(InputStream in) throws IOException {
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, 64 * 1024);
        buffered.mark(MAGIC_LENGTH);
        byte[] head = buffered.readNBytes(MAGIC_LENGTH);
        buffered.reset();
        return new Detected(detect(head, head.length), buffered);
    }

    public record Detected(Compression compression, InputStream stream) {
    }

    /** zstd's level when none is given: zstd's own default, stated so it never drifts. */
    public static final int ZSTD_DEFAULT_LEVEL = 3;

    /**
     * Wraps a compressed stream so that reading it gives the uncompressed bytes. gzip is read
     * through {@link DeflateEngine#current()} (ISA-L's inflate when loaded).
     */
    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> DeflateEngine.current().gunzip(in);
            case ZSTD, ZSTD_CHUNKED -> new ZstdInputStream(in);
        };
    }

    /**
     * Reading the result gives {@code plain} compressed: gzip in parallel blocks
     * ({@link BlockGzipInputStream}, {@link DeflateEngine#current()}), zstd with zstd's worker
     * threads, one per processor, zstd:chunked frame by frame on a thread of its own
     * ({@link ZstdChunkedInputStream}, whose {@code annotations()} describe the result once read).
     * {@code level} null means the default (gzip: the engine's, zstd and zstd:chunked 3).
     *
     * @throws HoistException (usage) for a level out of the algorithm's range (gzip 0-9, zstd 1-20)
     */
    public InputStream compressing(InputStream plain, Integer level) throws IOException {
        checkLevel(level);
        return switch (this) {
            case NONE -> plain;
            case GZIP -> new BlockGzipInputStream(plain, DeflateEngine.current(), level);
            case ZSTD -> new CompressingInputStream(plain, this, level);
            case ZSTD_CHUNKED -> new ZstdChunkedInputStream(plain, level == null ? ZSTD_DEFAULT_LEVEL : level);
        };
    }

    /**
     * Wraps {@code out} so that what is written to the result reaches it compressed, on the
     * calling thread (gzip) or zstd's workers. {@code level} null means the algorithm's default.
     * zstd:chunked is made from a whole tar stream and only through {@link #compressing}.
     *
     * @throws HoistException (usage) for a level out of the algorithm's range
     * @throws IllegalArgumentException for {@link #ZSTD_CHUNKED}
     */
    public OutputStream compress(OutputStream out, Integer level) throws IOException {
        checkLevel(level);
        return switch (this) {
            case NONE -> out;
            case GZIP -> new LevelledGzipOutputStream(out, level == null ? DeflateEngine.jdk().defaultLevel() : level);
            case ZSTD -> zstd(out, level == null ? ZSTD_DEFAULT_LEVEL : level);
            case ZSTD_CHUNKED -> throw new IllegalArgumentException("zstd:chunked is written from a tar stream: use compressing()");
        };
    }

    /**
     * Jobs of 2 MiB for zstd's workers: zstd's own size for level 3 (several times its 2 MiB
     * window) keeps about 60 MB per stream in flight; at 2 MiB it is about 16 MB, as fast, and
     * the output grows by under 0.5%.
     */
    private static final int ZSTD_JOB_SIZE = 2 << 20;

    private static OutputStream zstd(OutputStream out, int level) throws IOException {
        ZstdOutputStream zstd = new ZstdOutputStream(out, level);
        int workers = CompressionWorkers.threads();
        if (workers > 1) {
            zstd.setWorkers(workers);
            zstd.setJobSize(ZSTD_JOB_SIZE);
        }
        return zstd;
    }

    private void checkLevel(Integer level) {
        if (level == null) {
            return;
        }
        switch (this) {
            case GZIP -> {
                if (level < 0 || level > 9) {
                    throw HoistException.usage("--compression-level " + level + " is out of range for gzip (0-9)");
                }
            }
            case ZSTD, ZSTD_CHUNKED -> {
                if (level < 1 || level > 20) {
                    throw HoistException.usage("--compression-level " + level + " is out of range for " + flag + " (1-20)");
                }
            }
            case NONE -> {
            }
        }
    }

    /** GZIPOutputStream whose deflate level can be chosen. */
    private static final class LevelledGzipOutputStream extends GZIPOutputStream {
        LevelledGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(level);
        }
    }
}
