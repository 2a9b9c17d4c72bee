package hoist.engine.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes that a crash can never leave half done: bytes go to a temporary file beside the target,
 * are forced to disk, and the file is renamed over the target in one step.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        Path temp = tempBeside(target);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Streams {@code in} to {@code target}; returns the bytes written. */
    public static long write(Path target, InputStream in) throws IOException {
        Path temp = tempBeside(target);
        try {
            long n;
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
                n = in.transferTo(out);
            }
            force(temp);
            move(temp, target);
            return n;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A new empty file next to {@code target}, hidden by its name, for writing then {@link #move}. */
    public static Path tempBeside(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    }

    /**
     * A new empty file {@code dir/PREFIX<random>SUFFIX} whose mode is what the process's umask
     * makes of 0666, as any other program's files (skopeo's included) are: unlike
     * {@link Files#createTempFile}, which makes every file 0600 whatever the umask. What must stay
     * private (credentials) is made so by its writer.
     */
    public static Path createTempFile(Path dir, String prefix, String suffix) throws IOException {
        while (true) {
            Path candidate = dir.resolve(prefix + randomPart() + suffix);
            try {
                return Files.createFile(candidate);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another writer drew the same name: draw again
            }
        }
    }

    /** A new directory {@code dir/PREFIX<random>} with the umask's mode (not 0700), as {@link #createTempFile}. */
    public static Path createTempDirectory(Path dir, String prefix) throws IOException {
        while (true) {
            Path candidate = dir.resolve(prefix + randomPart());
            try {
                return Files.createDirectory(candidate);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // drawn by another writer: draw again
            }
        }
    }

    private static String randomPart() {
        return Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36);
    }

    public static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Renames atomically where the file system can, replacing the target. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a tree if it exists; used to undo what an aborted write created. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
