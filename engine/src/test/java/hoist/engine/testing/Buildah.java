package hoist.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * buildah on a store of the test's own ({@code --root}/{@code --runroot} in temporary
 * directories, a chosen storage driver): builds images from scratch by changing a mounted
 * container's files and committing, so no network or runtime is needed.
 */
public final class Buildah {

    private final Path root;
    private final Path runRoot;
    private final String driver;

    public Buildah(Path dir, String driver) {
        this.root = dir.resolve("root");
        this.runRoot = dir.resolve("run");
        this.driver = driver;
    }

    /** {@code [DRIVER@ROOT+RUNROOT]}, the store part of a containers-storage reference. */
    public String store() {
        return "[" + driver + "@" + root + "+" + runRoot + "]";
    }

    /** {@code containers-storage:[DRIVER@ROOT+RUNROOT]IMAGE}. */
    public String ref(String image) {
        return "containers-storage:" + store() + image;
    }

    public Path root() {
        return root;
    }

    public Path runRoot() {
        return runRoot;
    }

    /** Runs buildah with this store's options and returns its stdout. */
    public String run(String... args) {
        List<String> command = new ArrayList<>(List.of("buildah", "--root", root.toString(), "--runroot", runRoot.toString(),
                "--storage-driver", driver));
        command.addAll(List.of(args));
        return Command.run(command, Map.of()).trim();
    }

    /** Changes made to a mounted container's tree before it is committed. */
    @FunctionalInterface
    public interface Changes {
        void apply(Path rootfs) throws IOException;
    }

    /** Commits {@code from} (an image, or "scratch") changed by {@code changes} as {@code name}; returns the image ID. */
    public String commit(String from, String name, Changes changes) {
        String container = run("from", "--pull-never", from);
        try {
            Path rootfs = Path.of(run("mount", container));
            changes.apply(rootfs);
            String id = run("commit", "-q", container, name);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            run("rm", container);
        }
    }

    /**
     * A two-layer image {@code name} (the base {@code name-base}): the first layer has
     * directories, files of several sizes, a hard link, a symlink, a FIFO and a file with a
     * {@code user.} xattr; the second deletes a directory (a whiteout), replaces another's content
     * (an opaque directory) and adds files.
     */
    public String buildRichImage(String name) {
        commit("scratch", name + "-base", rootfs -> {
            Files.createDirectories(rootfs.resolve("etc"));
            Files.createDirectories(rootfs.resolve("gone/sub"));
            Files.createDirectories(rootfs.resolve("opq"));
            Files.writeString(rootfs.resolve("etc/a"), "hi\n");
            Files.writeString(rootfs.resolve("gone/sub/f"), "x\n");
            Files.writeString(rootfs.resolve("opq/old"), "old\n");
            byte[] big = new byte[700_000];
            new java.util.Random(7).nextBytes(big);
            Files.write(rootfs.resolve("etc/big"), big);
            Files.createLink(rootfs.resolve("etc/hard"), rootfs.resolve("etc/a"));
            Files.createSymbolicLink(rootfs.resolve("etc/sym"), Path.of("a"));
            Command.run("mkfifo", rootfs.resolve("etc/fifo").toString());
            Files.writeString(rootfs.resolve("etc/x"), "with xattr\n");
            Files.getFileAttributeView(rootfs.resolve("etc/x"), UserDefinedFileAttributeView.class)
                    .write("test", StandardCharsets.UTF_8.encode("hello"));
        });
        return commit(name + "-base", name, rootfs -> {
            Command.run("rm", "-rf", rootfs.resolve("gone").toString(), rootfs.resolve("opq").toString());
            Files.createDirectories(rootfs.resolve("opq"));
            Files.writeString(rootfs.resolve("opq/new"), "new\n");
            Files.writeString(rootfs.resolve("etc/b"), "more\n");
        });
    }

    /** Diff IDs of an image as buildah's config says. */
    public List<String> diffIds(String image) {
        List<String> ids = new ArrayList<>();
        String json = run("inspect", "--type", "image", "--format", "{{range .OCIv1.RootFS.DiffIDs}}{{.}} {{end}}", image);
        for (String id : json.split("\\s+")) {
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
        return ids;
    }
}
