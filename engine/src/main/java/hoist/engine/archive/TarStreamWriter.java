package hoist.engine.archive;

import hoist.engine.image.Digest;
import hoist.engine.image.DigestingInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Date;
import java.util.function.Function;

/**
 * Writes a tar file entry by entry as the contents stream in, even when neither the size nor the
 * digest (and so the name) of an entry is known before its last byte: a header is reserved, the
 * bytes are written after it, and the header is filled in at the end. Entries are written one at
 * a time; fixed owner and time keep the archive reproducible.
 */
public final class TarStreamWriter implements Closeable {

    private static final int BLOCK = 512;
    private static final int MAX_NAME = 99;

    private final FileChannel out;
    private final byte[] buffer = new byte[256 * 1024];

    /** What an appended entry turned out to be. */
    public record Appended(Digest digest, long size) {
    }

    public TarStreamWriter(Path file) throws IOException {
        this.out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /**
     * Appends the stream as one file entry named {@code name.apply(digest)}. {@code knownDigest}
     * null makes the digest computed on the way; a known one is trusted (the stream verifies itself).
     */
    public synchronized Appended append(InputStream in, Digest knownDigest, Function<Digest, String> name) throws IOException {
        long headerAt = out.position();
        write(ByteBuffer.allocate(BLOCK));
        InputStream source = knownDigest == null ? new DigestingInputStream(in) : in;
        long size = 0;
        int n;
        while ((n = source.read(buffer)) >= 0) {
            write(ByteBuffer.wrap(buffer, 0, n));
            size += n;
        }
        Digest digest = knownDigest != null ? knownDigest : ((DigestingInputStream) source).digest();
        long end = out.position();
        out.position(headerAt);
        write(ByteBuffer.wrap(header(name.apply(digest), size)));
        out.position(end);
        write(ByteBuffer.allocate((int) ((BLOCK - size % BLOCK) % BLOCK)));
        return new Appended(digest, size);
    }

    /** Appends a small file whose bytes are at hand. */
    public synchronized void append(String name, byte[] bytes) throws IOException {
        write(ByteBuffer.wrap(header(name, bytes.length)));
        write(ByteBuffer.wrap(bytes));
        write(ByteBuffer.allocate((BLOCK - bytes.length % BLOCK) % BLOCK));
    }

    private static byte[] header(String name, long size) {
        if (name.length() > MAX_NAME) {
            throw new IllegalArgumentException("tar entry name longer than " + MAX_NAME + " characters: " + name);
        }
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setModTime(new Date(0));
        entry.setIds(0, 0);
        entry.setMode(0100644);
        entry.setSize(size);
        byte[] header = new byte[BLOCK];
        entry.writeEntryHeader(header);
        return header;
    }

    /** Ends the archive and forces it to disk. */
    public synchronized void finish() throws IOException {
        write(ByteBuffer.allocate(2 * BLOCK));
        out.force(true);
    }

    private void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
