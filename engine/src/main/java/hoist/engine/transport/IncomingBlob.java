package hoist.engine.transport;

import hoist.engine.image.Digest;
import hoist.engine.io.AtomicFiles;
import hoist.engine.image.DigestingInputStream;
import hoist.engine.io.Streams;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A blob being received into a file-based destination: streamed to a hidden temporary file in
 * the destination's directory and forced to disk, ready to be renamed into place. The digest is
 * computed only when the copier does not already know it (the copier's stream verifies a known
 * digest itself, so hashing twice would only cost time).
 */
public record IncomingBlob(Path file, Digest digest, long size) {

    /** Receives a blob that must survive a crash once renamed into place. */
    public static IncomingBlob receive(InputStream stream, BlobInfo info, Path directory) throws IOException {
        return receive(stream, info, directory, true);
    }

    /**
     * Receives a blob; {@code durable} false skips forcing it to disk, for staging files that are
     * packed into an archive (which is forced) and then deleted.
     */
    public static IncomingBlob receive(InputStream stream, BlobInfo info, Path directory, boolean durable)
            throws IOException {
        Files.createDirectories(directory);
        Path temp = AtomicFiles.createTempFile(directory, ".incoming-", ".tmp");
        try {
            DigestingInputStream digesting = info.digest() == null ? new DigestingInputStream(stream) : null;
            long size;
            try (OutputStream out = Files.newOutputStream(temp)) {
                size = Streams.copy(digesting != null ? digesting : stream, out);
            }
            if (durable) {
                AtomicFiles.force(temp);
            }
            // a known digest is the caller's (its stream verifies it), even when that stream digests too
            Digest digest = digesting != null ? digesting.digest() : info.digest();
            return new IncomingBlob(temp, digest, size);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Renames the file to {@code target}, replacing what is there. */
    public void moveTo(Path target) throws IOException {
        AtomicFiles.move(file, target);
    }

    public void discard() throws IOException {
        Files.deleteIfExists(file);
    }
}
