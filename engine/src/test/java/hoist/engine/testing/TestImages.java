package hoist.engine.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Real test images, made by buildah from scratch and exported by skopeo, once per test JVM and
 * shared read-only. Tests copy them before changing anything.
 *
 * <ul>
 *   <li>{@link #multiLayer()}: four layers — random files of a few sizes; an empty layer (a commit
 *       with no change); a tree with a symlink, a hard link and an empty directory; one more file.</li>
 *   <li>{@link #multiPlatform()}: an OCI index of two images, linux/amd64 and linux/arm64.</li>
 * </ul>
 */
public final class TestImages {

    private static Path root;
    private static String multiLayer;
    private static String multiPlatform;

    private TestImages() {
    }

    /** {@code oci:DIR:multi} of the four-layer image. */
    public static synchronized String multiLayer() {
        if (multiLayer == null) {
            multiLayer = buildMultiLayer();
        }
        return multiLayer;
    }

    /** {@code oci:DIR:list} of a two-platform index. */
    public static synchronized String multiPlatform() {
        if (multiPlatform == null) {
            multiPlatform = buildMultiPlatform();
        }
        return multiPlatform;
    }

    /** {@code oci:DIR:large}: one layer of {@code megabytes} MB of random bytes, made by buildah. */
    public static synchronized String large(int megabytes) {
        String name = "large" + megabytes;
        Path layout = root().resolve(name);
        if (Files.exists(layout)) {
            return "oci:" + layout + ":" + name;
        }
        Path file = root().resolve(name + ".bin");
        try {
            writeRandom(file, megabytes * 1024L * 1024L, megabytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String ctr = run(buildah("from", "scratch"));
        run(buildah("copy", ctr, file.toString(), "/" + name + ".bin"));
        run(buildah("commit", "-q", ctr, name));
        Skopeo.copy(storageRef("localhost/" + name + ":latest"), "oci:" + layout + ":" + name);
        return "oci:" + layout + ":" + name;
    }

    /** The same image in another format, made by skopeo: {@code dir:}, {@code docker-archive:}... */
    public static String as(String source, String transport, Path where) {
        String target = switch (transport) {
            case "dir" -> "dir:" + where;
            case "oci" -> "oci:" + where + ":img";
            case "oci-archive" -> "oci-archive:" + where + ":img";
            case "docker-archive" -> "docker-archive:" + where + ":example.com/test/img:1";
            default -> throw new IllegalArgumentException(transport);
        };
        Skopeo.copy(source, target);
        return target;
    }

    private static synchronized Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("hoist-test-images-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(root)));
        }
        return root;
    }

    private static List<String> buildah(String... args) {
        Path storage = root().resolve("storage");
        List<String> command = new ArrayList<>(List.of("buildah", "--root", storage.resolve("root").toString(),
                "--runroot", storage.resolve("run").toString(), "--storage-driver", "vfs"));
        command.addAll(List.of(args));
        return command;
    }

    private static String run(List<String> command) {
        return Command.run(command, Map.of("BUILDAH_ISOLATION", "chroot")).strip();
    }

    private static String storageRef(String image) {
        Path storage = root().resolve("storage");
        return "containers-storage:[vfs@" + storage.resolve("root") + "+" + storage.resolve("run") + "]" + image;
    }

    private static String buildMultiLayer() {
        Path files = root().resolve("files");
        try {
            Files.createDirectories(files.resolve("tree/sub"));
            Files.createDirectories(files.resolve("tree/emptydir"));
            writeRandom(files.resolve("big.bin"), 3 * 1024 * 1024, 1);
            writeRandom(files.resolve("small.bin"), 1000, 2);
            Files.writeString(files.resolve("tree/sub/data.txt"), "hello from a test layer\n");
            Files.createSymbolicLink(files.resolve("tree/link"), Path.of("sub/data.txt"));
            Files.createLink(files.resolve("tree/hardlink"), files.resolve("tree/sub/data.txt"));
            Files.writeString(files.resolve("last.txt"), "the last layer\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String ctr = run(buildah("from", "scratch"));
        run(buildah("copy", ctr, files.resolve("big.bin").toString(), "/data/big.bin"));
        run(buildah("copy", ctr, files.resolve("small.bin").toString(), "/data/small.bin"));
        run(buildah("config", "--env", "GREETING=hello", "--label", "test=multi", "--cmd", "/data/app", ctr));
        run(buildah("commit", "-q", ctr, "layer1"));
        String empty = run(buildah("from", "localhost/layer1"));
        run(buildah("commit", "-q", empty, "layer2"));
        String links = run(buildah("from", "localhost/layer2"));
        run(buildah("copy", links, files.resolve("tree").toString(), "/tree"));
        run(buildah("commit", "-q", links, "layer3"));
        String last = run(buildah("from", "localhost/layer3"));
        run(buildah("copy", last, files.resolve("last.txt").toString(), "/last.txt"));
        run(buildah("commit", "-q", last, "multi"));
        String target = "oci:" + root().resolve("multi") + ":multi";
        Skopeo.copy(storageRef("localhost/multi:latest"), target);
        return target;
    }

    private static String buildMultiPlatform() {
        Path files = root().resolve("platform-files");
        List<String> images = new ArrayList<>();
        for (String arch : List.of("amd64", "arm64")) {
            try {
                Files.createDirectories(files);
                writeRandom(files.resolve(arch + ".bin"), 200_000, arch.hashCode());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String ctr = run(buildah("from", "scratch"));
            run(buildah("copy", ctr, files.resolve(arch + ".bin").toString(), "/" + arch + ".bin"));
            run(buildah("config", "--arch", arch, "--os", "linux", ctr));
            run(buildah("commit", "-q", ctr, "plat-" + arch));
            images.add("localhost/plat-" + arch);
        }
        run(buildah("manifest", "create", "localhost/plat-list"));
        for (String image : images) {
            run(buildah("manifest", "add", "localhost/plat-list", storageRef(image)));
        }
        String target = "oci:" + root().resolve("platforms") + ":list";
        run(buildah("manifest", "push", "-q", "--all", "localhost/plat-list", target));
        return target;
    }

    /** Incompressible bytes, the same for the same seed. */
    public static void writeRandom(Path file, long size, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buffer.length) {
                random.nextBytes(buffer);
                out.write(buffer, 0, (int) Math.min(buffer.length, left));
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort at exit
        }
    }
}
