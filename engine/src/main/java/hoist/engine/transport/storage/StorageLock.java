package hoist.engine.transport.storage;

import hoist.engine.HoistException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A containers/storage lock file ({@code layers.lock}, {@code images.lock}, {@code storage.lock}):
 * a whole-file fcntl record lock, shared for readers and exclusive for writers, which
 * {@link FileChannel#lock} takes on Linux, so podman, buildah and hoist exclude each other. A
 * writer that changed what the lock guards writes a new last-writer token (64 bytes at offset 0:
 * time in nanoseconds, a counter, the process ID, all little-endian, then random bytes), which
 * tells other processes to reload. fcntl locks belong to a process, not a thread, so threads of
 * this process share one file lock, counted here; a lock held by another process for longer than
 * the timeout is a {@link HoistException} naming the file.
 *
 * @see <a href="https://github.com/containers/storage/tree/main/pkg/lockfile">containers/storage lockfile</a>
 */
public final class StorageLock {

    /** How long to wait for another process by default; {@code HOIST_STORAGE_LOCK_TIMEOUT} (seconds) overrides it. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final int TOKEN_SIZE = 64;
    private static final Map<Path, StorageLock> LOCKS = new ConcurrentHashMap<>();
    private static final AtomicLong WRITES = new AtomicLong();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final ReentrantReadWriteLock threads = new ReentrantReadWriteLock();
    private FileChannel channel;
    private FileLock fileLock;
    private int holders;

    private StorageLock(Path file) {
        this.file = file;
    }

    /** The lock of {@code file} (created when missing, as containers/storage creates it). */
    public static StorageLock of(Path file) {
        return LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), StorageLock::new);
    }

    /** A held lock; closing it releases it. */
    public interface Held extends AutoCloseable {
        /** Records a write: a new last-writer token, so other processes reload. Exclusive holders only. */
        void touch() throws IOException;

        @Override
        void close();
    }

    /** Takes the lock shared (readers). */
    public Held shared() throws IOException {
        return take(false);
    }

    /** Takes the lock exclusively (writers). */
    public Held exclusive() throws IOException {
        return take(true);
    }

    private Held take(boolean exclusive) throws IOException {
        java.util.concurrent.locks.Lock threadLock = exclusive ? threads.writeLock() : threads.readLock();
        Duration timeout = timeout();
        try {
            if (!threadLock.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw heldTooLong(timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for " + file);
        }
        try {
            synchronized (this) {
                if (holders == 0) {
                    lockFile(exclusive, timeout);
                }
                holders++;
            }
        } catch (IOException | RuntimeException e) {
            threadLock.unlock();
            throw e;
        }
        return new Held() {
            private boolean closed;

            @Override
            public void touch() throws IOException {
                if (!exclusive) {
                    throw new IllegalStateException("touch without the exclusive lock");
                }
                ByteBuffer token = ByteBuffer.allocate(TOKEN_SIZE).order(ByteOrder.LITTLE_ENDIAN);
                token.putLong(System.currentTimeMillis() * 1_000_000L + System.nanoTime() % 1_000_000L);
                token.putLong(WRITES.incrementAndGet());
                token.putInt((int) ProcessHandle.current().pid());
                byte[] random = new byte[TOKEN_SIZE - 20];
                RANDOM.nextBytes(random);
                token.put(random).flip();
                synchronized (StorageLock.this) {
                    while (token.hasRemaining()) {
                        channel.write(token, token.position());
                    }
                }
            }

            @Override
            public void close() {
                if (closed) {
                    return;
                }
                closed = true;
                synchronized (StorageLock.this) {
                    holders--;
                    if (holders == 0) {
                        release();
                    }
                }
                threadLock.unlock();
            }
        };
    }

    /** The last-writer token now in the file (64 bytes, or fewer if none was ever written). */
    public byte[] lastWriter() throws IOException {
        return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    }

    private void lockFile(boolean exclusive, Duration timeout) throws IOException {
        Files.createDirectories(file.getParent());
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            if (exclusive) {
                throw new HoistException(file + ": permission denied (the store is not writable by this user)");
            }
            channel = FileChannel.open(file, StandardOpenOption.READ);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                fileLock = channel.tryLock(0, Long.MAX_VALUE, !exclusive);
                if (fileLock != null) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw heldTooLong(timeout);
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release();
            throw new java.io.InterruptedIOException("interrupted while waiting for " + file);
        } catch (IOException | RuntimeException e) {
            release();
            throw e;
        }
    }

    private HoistException heldTooLong(Duration timeout) {
        return new HoistException(file + " is locked by another process and was not released within "
                + timeout.toSeconds() + " s; is a podman or buildah command stuck? (HOIST_STORAGE_LOCK_TIMEOUT sets the wait)");
    }

    private void release() {
        try {
            if (fileLock != null) {
                fileLock.release();
            }
        } catch (IOException e) {
            // closing the channel below releases it too
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // nothing more to release
        }
        fileLock = null;
        channel = null;
    }

    /** The wait: system property {@code hoist.storage.lockTimeout}, else {@code HOIST_STORAGE_LOCK_TIMEOUT}, in seconds. */
    static Duration timeout() {
        String value = System.getProperty("hoist.storage.lockTimeout", System.getenv("HOIST_STORAGE_LOCK_TIMEOUT"));
        if (value != null && !value.isBlank()) {
            try {
                return Duration.ofMillis((long) (Double.parseDouble(value.trim()) * 1000));
            } catch (NumberFormatException e) {
                throw HoistException.usage("HOIST_STORAGE_LOCK_TIMEOUT: \"" + value + "\" is not a number of seconds");
            }
        }
        return DEFAULT_TIMEOUT;
    }
}
