package hoist.engine.store;

import hoist.engine.image.Digest;
import hoist.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One writer's staging directory under {@code tmp/}. The writer holds a lock on a file in it for
 * as long as it lives, so garbage collection can tell a crashed writer's leftovers (lock free:
 * deleted) from a live writer's files (lock held: kept). A blob the writer reuses from the store
 * is hard-linked in here, so a concurrent {@code rmi} cannot take its bytes before the commit.
 */
public final class Staging implements AutoCloseable {

    private static final String LOCK_FILE = "writer.lock";
    private static final String STAGE_PREFIX = "stage-";


    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private Staging(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Makes a staging directory and takes its lock. Called under the store lock (as
     * {@link #removeAbandoned} is), so that a directory being made is never taken for one left behind.
     */
    static Staging create(Path tmp) throws IOException {
        Files.createDirectories(tmp);
        Path dir = Files.createTempDirectory(tmp, STAGE_PREFIX);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new Staging(dir, channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            deleteQuietly(dir);
            throw e;
        }
    }

    /** The writer's directory under {@code ROOT/tmp/}: files written here become blobs at the commit. */
    public Path dir() {
        return dir;
    }

    /** Hard-links a stored blob in here; empty when the file system cannot (then only the commit's check protects it). */
    Optional<Path> pin(Path blob, Digest digest) {
        Path link = dir.resolve("pinned-" + digest.hex());
        try {
            if (!Files.exists(link)) {
                Files.createLink(link, blob);
            }
            return Optional.of(link);
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** Releases the writer's lock and deletes the directory with whatever the commit left in it. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            AtomicFiles.deleteTree(dir);
        }
    }

    /**
     * Deletes what writers that are gone left in {@code tmp}: their staging directories (no process
     * holds their lock any more) and the temporary files of a store-lock holder that died before
     * renaming them into place. Runs under the store lock, so no live writer has such a file.
     */
    static void removeAbandoned(Path tmp) throws IOException {
        if (!Files.isDirectory(tmp)) {
            return;
        }
        try (Stream<Path> entries = Files.list(tmp)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.startsWith(STAGE_PREFIX) && abandoned(entry)) {
                    deleteQuietly(entry);
                } else if (name.startsWith(ImageIndexFile.LOCKED_TEMP_PREFIX)) {
                    Files.deleteIfExists(entry);
                }
            }
        }
    }

    /**
     * Deletes a tree that its owner, closing at the same moment, may be deleting too: what
     * vanishes meanwhile is not a failure, and what is left is deleted by a later writer.
     */
    private static void deleteQuietly(Path dir) {
        try {
            AtomicFiles.deleteTree(dir);
        } catch (IOException | java.io.UncheckedIOException e) {
            // deleted meanwhile by its owner, or left for the next writer
        }
    }

    private static boolean abandoned(Path dir) {
        Path lockFile = dir.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe == null) {
                return false; // another process writes here
            }
            probe.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // a writer of this process
        } catch (IOException e) {
            return false;
        }
    }
}
