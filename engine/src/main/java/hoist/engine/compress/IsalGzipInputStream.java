package hoist.engine.compress;

import hoist.engine.io.BulkInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.util.zip.ZipException;

/**
 * Reading this gives the uncompressed bytes of a gzip stream read through ISA-L's inflate. Like
 * {@link java.util.zip.GZIPInputStream}: members follow one another until the input ends, and
 * bytes after a member that do not start another are ignored; each member's CRC-32 and size
 * are verified by ISA-L.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1952">RFC 1952</a>
 */
final class IsalGzipInputStream extends BulkInputStream {

    private static final int INPUT_BUFFER = 128 * 1024;

    private final InputStream in;
    private final byte[] input = new byte[INPUT_BUFFER];
    private final int[] counts = new int[3];
    private final long handle;
    private final Cleaner.Cleanable cleanable;
    private int position;
    private int limit;
    private boolean memberEnded;
    private boolean started;
    private boolean ended;

    IsalGzipInputStream(InputStream in) {
        this.in = in;
        long h = IsalDeflate.newInflater();
        if (h == 0) {
            throw new OutOfMemoryError("ISA-L inflate state");
        }
        handle = h;
        cleanable = IsalDeflate.CLEANER.register(this, () -> IsalDeflate.freeInflater(h));
    }


    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!ended) {
            if (memberEnded && !nextMember()) {
                ended = true;
                break;
            }
            if (position == limit && !fill()) {
                throw new EOFException("Unexpected end of gzip stream");
            }
            int status = IsalDeflate.inflate(handle, input, position, limit - position, target, offset, length, counts);
            if (status < 0) {
                throw new ZipException("invalid gzip data (ISA-L inflate error " + status + ")");
            }
            started = true;
            position += counts[0];
            memberEnded = counts[2] == 1;
            if (counts[1] > 0) {
                return counts[1];
            }
        }
        return -1;
    }

    /** After a member: whether another one follows (then the inflater is reset for it). */
    private boolean nextMember() throws IOException {
        if (position == limit && !fill()) {
            return false;
        }
        if ((input[position] & 0xff) != 0x1f) {
            return false; // trailing bytes that are not gzip, ignored as GZIPInputStream does
        }
        IsalDeflate.resetInflater(handle);
        memberEnded = false;
        return true;
    }

    private boolean fill() throws IOException {
        int n = in.read(input, 0, input.length);
        if (n <= 0) {
            if (!started && n < 0) {
                throw new EOFException("empty gzip stream");
            }
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        cleanable.clean();
        in.close();
    }
}
