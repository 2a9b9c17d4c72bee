package hoist.engine.compress;

import hoist.engine.HoistException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * The decompressed bytes of a blob, cut off with an error once they exceed what a real layer
 * expands to: {@link #FLOOR_BYTES} plus {@link #RATIO} times the blob's stored size (its
 * descriptor's size, or the compressed bytes read so far when that is unknown or larger). A
 * decompression bomb (kilobytes of zstd or gzip that expand to gigabytes of zeros) thus ends with
 * one error naming the blob instead of filling the disk or running for hours. gzip cannot expand
 * more than about 1032 times, so a 500:1 cap stops only layers that are almost nothing but
 * repeated bytes; zstd's frames can expand without bound.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1951">RFC 1951 (deflate's 258-byte matches bound its ratio)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8878">RFC 8878, Zstandard</a>
 */
public final class ExpansionLimit extends FilterInputStream {

    /** Bytes any blob may expand to, whatever its stored size: 64 MiB. */
    public static final long FLOOR_BYTES = 64L * 1024 * 1024;

    /** How many times its stored size a blob may expand to, beyond {@link #FLOOR_BYTES}. */
    public static final long RATIO = 500;

    private final long storedSize;
    private final LongSupplier storedRead;
    private final String what;
    private long count;

    /**
     * @param decompressed the decompressor's output
     * @param storedSize   the blob's stored (compressed) size in bytes, -1 when unknown
     * @param storedRead   how many stored bytes the decompressor has read so far
     * @param what         names the blob in the error ("layer sha256:... of oci:/tmp/x:1")
     */
    public ExpansionLimit(InputStream decompressed, long storedSize, LongSupplier storedRead, String what) {
        super(decompressed);
        this.storedSize = storedSize;
        this.storedRead = storedRead;
        this.what = what;
    }

    /** The most bytes a blob of {@code storedSize} bytes may expand to. */
    public static long allowed(long storedSize) {
        long size = Math.max(0, storedSize);
        return size > (Long.MAX_VALUE - FLOOR_BYTES) / RATIO ? Long.MAX_VALUE : FLOOR_BYTES + RATIO * size;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        if (skipped > 0) {
            counted(skipped);
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void counted(long n) {
        count += n;
        long stored = Math.max(storedSize, storedRead.getAsLong());
        if (count > allowed(stored)) {
            throw new HoistException(what + " expands to more than " + allowed(stored) + " bytes (" + RATIO
                    + " times its " + stored + " stored bytes, plus " + (FLOOR_BYTES >> 20)
                    + " MiB): refusing it as a decompression bomb");
        }
    }
}
