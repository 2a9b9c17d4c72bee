package hoist.engine.transport.storage;

import hoist.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

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

    /** A new staging directory (not a layer anyone sees) whose {@link #stagedFiles} receive a layer's files. */
    Path stage() throws IOException {
        Path dir = Files.createTempDirectory(storage.driverDir(), ".hoist-staging-");
        if (overlay) {
            Files.createDirectory(dir.resolve("diff"));
            Files.setAttribute(dir.resolve("diff"), "unix:mode", 0755);
        } else {
            Files.setAttribute(dir, "unix:mode", 0755);
        }
        return dir;
    }

    Path stagedFiles(Path staged) {
        return overlay ? staged.resolve("diff") : staged;
    }

    /** Makes a staged layer the layer {@code id} over {@code parent} (null for none). */
    void install(Path staged, String id, String parent) throws IOException {
        Path dir = storage.driverDir().resolve(id);
        Files.move(staged, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        if (!overlay) {
            return;
        }
        Files.setAttribute(dir, "unix:mode", 0700);
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
