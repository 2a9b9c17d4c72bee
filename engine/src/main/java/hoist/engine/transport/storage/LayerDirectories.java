package hoist.engine.transport.storage;

import hoist.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.List;
import java.util.stream.Stream;

/**
 * The directories a graph driver keeps for a layer, made and removed as the driver itself does.
 * {@code vfs}: {@code vfs/dir/ID}, the layer's whole tree (its parent's copied, then its own
 * changes). {@code overlay}: {@code overlay/ID/diff} with the layer's own changes, {@code link}
 * (a short name whose symlink {@code overlay/l/NAME} points to {@code ../ID/diff}), {@code lower}
 * (the parents' short names, nearest first), and empty {@code work}, {@code merged} (and for a
 * bottom layer {@code empty}) directories.
 *
 * @see <a href="https://github.com/containers/storage/blob/main/drivers/overlay/overlay.go">overlay driver</a>
 */
final class LayerDirectories {

    private static final String STAGE_PREFIX = ".hoist-staging-";
    private static final String STAGE_LOCK = "staging.lock";
    private static final String LINK_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ContainersStorage storage;
    private final boolean overlay;

    private LayerDirectories(ContainersStorage storage) {
        this.storage = storage;
        this.overlay = storage.options().driver().equals("overlay");
    }

    static LayerDirectories of(ContainersStorage storage) {
        return new LayerDirectories(storage);
    }

    /**
     * A new stage for one layer (no layer anyone sees): {@code DRIVERDIR/.hoist-staging-XXX/}
     * holding {@code staging.lock} (locked by this process until the stage is closed),
     * {@code layer/} (what becomes the layer's directory) and {@code tar-split.gz}. A stage whose
     * lock no process holds was left by a writer that died; {@link #removeAbandonedStages} deletes it.
     * Takes the layers lock for the moment it is made.
     */
    Stage stage() throws IOException {
        Stage stage;
        // made under the layers lock, as stages are collected, so that a stage being made is never taken for one left behind
        try (StorageLock.Held held = storage.layersLock().exclusive()) {
            Path dir = Files.createTempDirectory(storage.driverDir(), STAGE_PREFIX);
            FileChannel channel = null;
            try {
                channel = FileChannel.open(dir.resolve(STAGE_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                stage = new Stage(dir, overlay, channel, channel.lock());
            } catch (IOException | RuntimeException e) {
                if (channel != null) {
                    channel.close();
                }
                AtomicFiles.deleteTree(dir);
                throw e;
            }
        }
        try {
            Files.createDirectory(stage.layer());
            Files.setAttribute(stage.layer(), "unix:mode", overlay ? 0700 : 0755);
            if (overlay) {
                Files.createDirectory(stage.files());
                Files.setAttribute(stage.files(), "unix:mode", 0755);
            }
            return stage;
        } catch (IOException | RuntimeException e) {
            stage.close();
            throw e;
        }
    }

    /**
     * Deletes the stages of writers that are gone: those whose lock can be taken or that have no
     * lock file. Runs under the layers lock, under which stages are made.
     */
    void removeAbandonedStages() throws IOException {
        if (!Files.isDirectory(storage.driverDir())) {
            return;
        }
        List<Path> stages;
        try (Stream<Path> entries = Files.list(storage.driverDir())) {
            stages = entries.filter(p -> p.getFileName().toString().startsWith(STAGE_PREFIX)).toList();
        }
        for (Path dir : stages) {
            Path lockFile = dir.resolve(STAGE_LOCK);
            if (!Files.exists(lockFile)) {
                try {
                    deleteStage(dir); // its writer died making it (stages are made under this lock)
                } catch (IOException | java.io.UncheckedIOException e) {
                    // left for the next writer
                }
                continue;
            }
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
                FileLock probe = channel.tryLock();
                if (probe == null) {
                    continue; // another process writes there
                }
                try {
                    deleteStage(dir);
                } finally {
                    probe.release();
                }
            } catch (OverlappingFileLockException e) {
                // a writer of this process
            } catch (IOException | java.io.UncheckedIOException e) {
                // its writer, closing, removed it meanwhile; or left for the next writer
            }
        }
    }

    /** Deletes a stage's contents, then its lock file and itself, so that a stage half deleted still has its lock file. */
    private static void deleteStage(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.filter(p -> !p.getFileName().toString().equals(STAGE_LOCK)).toList()) {
                AtomicFiles.deleteTree(entry);
            }
        }
        Files.deleteIfExists(dir.resolve(STAGE_LOCK));
        Files.deleteIfExists(dir);
    }

    /** One layer being received; closing it deletes what is left of it and releases its lock. */
    static final class Stage implements AutoCloseable {
        private final Path dir;
        private final boolean overlay;
        private final FileChannel channel;
        private final FileLock lock;
        private boolean closed;

        private Stage(Path dir, boolean overlay, FileChannel channel, FileLock lock) {
            this.dir = dir;
            this.overlay = overlay;
            this.channel = channel;
            this.lock = lock;
        }

        /** What {@link LayerDirectories#install} makes the layer's directory. */
        Path layer() {
            return dir.resolve("layer");
        }

        /** Where the layer's files go: the whole tree for vfs, {@code diff} for overlay. */
        Path files() {
            return overlay ? layer().resolve("diff") : layer();
        }

        /** The layer's tar-split, gzip-compressed. */
        Path tarSplit() {
            return dir.resolve("tar-split.gz");
        }

        @Override
        public synchronized void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                deleteStage(dir);
            } finally {
                try {
                    lock.release();
                } finally {
                    channel.close();
                }
            }
        }
    }

    /** Makes a staged layer the layer {@code id} over {@code parent} (null for none). */
    void install(Path staged, String id, String parent) throws IOException {
        Path dir = storage.driverDir().resolve(id);
        Files.move(staged, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        if (!overlay) {
            return;
        }
        Path links = storage.driverDir().resolve("l");
        Files.createDirectories(links);
        String link = newLinkName();
        Files.createSymbolicLink(links.resolve(link), Path.of("..", id, "diff"));
        Files.writeString(dir.resolve("link"), link);
        for (String sub : parent == null ? new String[]{"work", "merged", "empty"} : new String[]{"work", "merged"}) {
            Files.createDirectories(dir.resolve(sub));
            Files.setAttribute(dir.resolve(sub), "unix:mode", 0700);
        }
        if (parent != null) {
            Path parentDir = storage.driverDir().resolve(parent);
            String lower = "l/" + Files.readString(parentDir.resolve("link"), StandardCharsets.UTF_8).trim();
            Path parentLower = parentDir.resolve("lower");
            if (Files.exists(parentLower)) {
                lower += ":" + Files.readString(parentLower, StandardCharsets.UTF_8).trim();
            }
            Files.writeString(dir.resolve("lower"), lower);
        }
    }

    /** Removes a layer's directories (and for overlay its short-name link). */
    void remove(String id) throws IOException {
        Path dir = storage.driverDir().resolve(id);
        if (overlay) {
            Path linkFile = dir.resolve("link");
            if (Files.exists(linkFile)) {
                Files.deleteIfExists(storage.driverDir().resolve("l").resolve(Files.readString(linkFile).trim()));
            }
        }
        if (Files.exists(dir)) {
            AtomicFiles.deleteTree(dir);
        }
    }

    private static String newLinkName() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            s.append(LINK_ALPHABET.charAt(RANDOM.nextInt(LINK_ALPHABET.length())));
        }
        return s.toString();
    }
}
