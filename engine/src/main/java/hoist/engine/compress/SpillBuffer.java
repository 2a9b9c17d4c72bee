package hoist.engine.compress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Bytes written once and read back once, kept in memory up to {@code limit} bytes and in a
 * temporary file (deleted on {@link #close()}) beyond that, with their count and SHA-256 digest.
 * Holds the parts of a zstd:chunked blob that are only written after the layer's content (the
 * table of contents and the tar-split), which for a layer of a million files reach hundreds of MB.
 */
final class SpillBuffer extends OutputStream {

    private final int limit;
    private final MessageDigest sha256;
    private ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private Path file;
    private OutputStream fileOut;
    private long count;

    /** {@code limit}: bytes kept in memory before the rest goes to a temporary file. */
    SpillBuffer(int limit) {
        this.limit = limit;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (memory != null && memory.size() + len > limit) {
            file = Files.createTempFile("hoist-zstd-chunked-", ".part");
            fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            memory.writeTo(fileOut);
            memory = null;
        }
        (memory != null ? memory : fileOut).write(b, off, len);
        sha256.update(b, off, len);
        count += len;
    }

    /** Bytes written so far. */
    long count() {
        return count;
    }

    /** {@code sha256:HEX} of the bytes written; call once, after the last write. */
    String digest() {
        return "sha256:" + java.util.HexFormat.of().formatHex(sha256.digest());
    }

    /** Writes everything written here to {@code out}. */
    void copyTo(OutputStream out) throws IOException {
        if (memory != null) {
            memory.writeTo(out);
            return;
        }
        fileOut.flush();
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(out);
        }
    }

    /** Frees the memory and deletes the temporary file, if any. */
    @Override
    public void close() throws IOException {
        memory = null;
        if (fileOut != null) {
            fileOut.close();
            Files.deleteIfExists(file);
            fileOut = null;
        }
    }
}
