package hoist.shell;

import hoist.engine.testing.Buildah;
import hoist.engine.testing.Command;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hoist writes images into containers-storage (vfs and overlay) that buildah lists, inspects,
 * mounts with the right files and pushes again with the same diff IDs.
 */
class ContainersStorageWriteTest {

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        Cli.Run run = new Cli(temp.resolve("store")).run(args);
        return run;
    }

    /**
     * A list copied with --all is stored as buildah stores one: an image per instance and the
     * list image, which buildah's manifest commands read and push; hoist reads it back out, the
     * whole list with --all and the instance for this platform without; and hoist reads a list
     * buildah made.
     */
    @Test
    void aListCopiedWithAllIsStoredAsBuildahStoresOneAndReadBack() throws IOException {
        Buildah made = new Buildah(temp.resolve("made"), "vfs");
        made.buildRichImage("localhost/rich");
        made.commit("scratch", "localhost/arm", rootfs -> Files.writeString(rootfs.resolve("arm"), "arm\n"));
        String container = made.run("from", "--pull-never", "localhost/arm");
        made.run("config", "--arch", "arm64", container);
        made.run("commit", "-q", container, "localhost/arm");
        made.run("rm", container);
        made.run("manifest", "create", "localhost/two:1");
        made.run("manifest", "add", "localhost/two:1", "localhost/rich");
        made.run("manifest", "add", "localhost/two:1", "localhost/arm");
        String layout = "oci:" + temp.resolve("list") + ":list";
        made.run("manifest", "push", "-q", "--all", "localhost/two:1", layout);

        Buildah store = new Buildah(temp.resolve("store"), "vfs");
        ok(hoist("copy", "-q", "--all", layout, store.ref("localhost/pulled:1")));
        String inspected = store.run("manifest", "inspect", "localhost/pulled:1");
        assertTrue(inspected.contains("\"arm64\"") && inspected.contains("\"amd64\""), inspected);
        assertEquals(3, store.run("images", "-a", "-q").lines().count(), "two instances and the list");
        Path pushed = temp.resolve("pushed-by-buildah");
        store.run("manifest", "push", "-q", "--all", "localhost/pulled:1", "oci:" + pushed + ":l");

        Path back = temp.resolve("back");
        ok(hoist("copy", "-q", "--all", store.ref("localhost/pulled:1"), "oci:" + back + ":l"));
        JsonNodeLike index = JsonNodeLike.of(Command.run("skopeo", "inspect", "--raw", "oci:" + back + ":l"));
        assertEquals(2, index.count("\"platform\""));
        for (String arch : List.of("amd64", "arm64")) {
            String config = Command.run("skopeo", "--override-arch", arch, "inspect", "--config", "oci:" + back + ":l");
            String original = Command.run("skopeo", "--override-arch", arch, "inspect", "--config", layout);
            assertEquals(diffIds(original), diffIds(config), arch);
        }
        Path one = temp.resolve("one");
        ok(hoist("copy", "-q", store.ref("localhost/pulled:1"), "oci:" + one + ":l"));
        assertEquals(made.diffIds("localhost/rich"), diffIds(Command.run("skopeo", "inspect", "--config", "oci:" + one + ":l")), "the instance for this platform");

        Path fromBuildah = temp.resolve("from-buildah");
        ok(hoist("copy", "-q", "--all", made.ref("localhost/two:1"), "oci:" + fromBuildah + ":l"));
        assertEquals(2, JsonNodeLike.of(Command.run("skopeo", "inspect", "--raw", "oci:" + fromBuildah + ":l")).count("\"platform\""));
    }

    private static List<String> diffIds(String config) {
        List<String> ids = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("sha256:[0-9a-f]{64}")
                .matcher(config.substring(config.indexOf("\"diff_ids\"")));
        while (m.find()) {
            ids.add(m.group());
        }
        return ids;
    }

    /** Counts occurrences in a JSON text. */
    private record JsonNodeLike(String text) {
        static JsonNodeLike of(String text) {
            return new JsonNodeLike(text);
        }

        long count(String needle) {
            return (text.length() - text.replace(needle, "").length()) / needle.length();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vfs", "overlay"})
    void anImageWrittenByHoistIsOneBuildahListsMountsAndPushesUnchanged(String driver) throws IOException {
        Buildah source = new Buildah(temp.resolve("source"), "vfs");
        source.buildRichImage("localhost/rich");
        List<String> diffIds = source.diffIds("localhost/rich");
        String layout = "oci:" + temp.resolve("layout") + ":rich";
        ok(hoist("copy", "-q", source.ref("localhost/rich"), layout)); // gzip-compressed layers

        Buildah target = new Buildah(temp.resolve("target"), driver);
        ok(hoist("copy", "-q", layout, target.ref("localhost/copied:1")));

        String configId = source.run("inspect", "--type", "image", "--format", "{{.FromImageID}}", "localhost/rich");
        String listed = target.run("images", "--noheading", "--no-trunc", "--format", "{{.Name}}:{{.Tag}} {{.ID}}");
        assertTrue(listed.contains("localhost/copied:1 ") && listed.contains(configId), listed);
        assertEquals(diffIds, target.diffIds("localhost/copied:1"));

        String container = target.run("from", "--pull-never", "localhost/copied:1");
        try {
            Path rootfs = Path.of(target.run("mount", container));
            assertEquals("hi\n", Files.readString(rootfs.resolve("etc/a")));
            assertEquals(Files.getAttribute(rootfs.resolve("etc/a"), "unix:ino"), Files.getAttribute(rootfs.resolve("etc/hard"), "unix:ino"));
            assertEquals(Path.of("a"), Files.readSymbolicLink(rootfs.resolve("etc/sym")));
            assertTrue(Files.readAttributes(rootfs.resolve("etc/fifo"), java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).isOther());
            UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(rootfs.resolve("etc/x"), UserDefinedFileAttributeView.class);
            java.nio.ByteBuffer value = java.nio.ByteBuffer.allocate(16);
            xattrs.read("test", value);
            assertEquals("hello", new String(value.array(), 0, value.position(), StandardCharsets.UTF_8));
            assertFalse(Files.exists(rootfs.resolve("gone"), LinkOption.NOFOLLOW_LINKS), "whited out");
            try (Stream<Path> opq = Files.list(rootfs.resolve("opq"))) {
                assertEquals(List.of("new"), opq.map(p -> p.getFileName().toString()).toList(), "opaque directory");
            }
            assertEquals(700_000, Files.size(rootfs.resolve("etc/big")));
        } finally {
            target.run("rm", container);
        }

        // the same image again under another name: every layer is the store's already
        Cli.Run again = ok(hoist("copy", layout, target.ref("localhost/copied:2")));
        List<String> blobs = again.err().lines().filter(l -> l.startsWith("Copying blob")).toList();
        assertEquals(2, blobs.size(), again::toString);
        assertTrue(blobs.stream().allMatch(l -> l.endsWith("skipped: already exists")), again::toString);
        String both = target.run("images", "--noheading", "--no-trunc", "--format", "{{.Name}}:{{.Tag}} {{.ID}}");
        assertEquals(2, both.lines().filter(l -> (l.startsWith("localhost/copied:1 ") || l.startsWith("localhost/copied:2 "))
                && l.endsWith(configId)).count(), both);

        Path pushed = temp.resolve("pushed");
        target.run("push", "-q", "localhost/copied:1", "oci:" + pushed + ":x");
        assertEquals(diffIds, uncompressedLayerDigests(pushed));

        // and hoist reads back what it wrote, byte for byte the diff IDs
        Path back = temp.resolve("back");
        ok(hoist("copy", "-q", "-D", target.ref("localhost/copied:1"), "oci:" + back + ":x"));
        assertEquals(diffIds, uncompressedLayerDigests(back));
    }

    @Test
    void aFailedWriteLeavesTheStoreAsItWas() throws IOException {
        Buildah source = new Buildah(temp.resolve("source"), "vfs");
        byte[] random = new byte[100_000];
        new java.util.Random(5).nextBytes(random);
        source.commit("scratch", "localhost/small", rootfs -> Files.write(rootfs.resolve("f"), random));
        Path layout = temp.resolve("layout");
        ok(hoist("copy", "-q", source.ref("localhost/small"), "oci:" + layout + ":x"));
        // damage the layer blob: its digest no longer matches
        try (Stream<Path> blobs = Files.list(layout.resolve("blobs/sha256"))) {
            for (Path blob : blobs.toList()) {
                if (Files.size(blob) > 1000) {
                    byte[] bytes = Files.readAllBytes(blob);
                    bytes[bytes.length / 2] ^= 1;
                    Files.write(blob, bytes);
                }
            }
        }
        Buildah target = new Buildah(temp.resolve("target"), "overlay");
        target.commit("scratch", "localhost/before", rootfs -> Files.writeString(rootfs.resolve("b"), "b\n"));
        List<String> before = tree(target.root());

        Cli.Run run = hoist("copy", "-q", "oci:" + layout + ":x", target.ref("localhost/broken:1"));
        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().startsWith("Error: "), run::toString);
        assertEquals(before, tree(target.root()));
        assertFalse(target.run("images", "--noheading").contains("broken"));

        Path fresh = temp.resolve("fresh");
        Cli.Run intoNew = hoist("copy", "-q", "oci:" + layout + ":x", new Buildah(fresh, "vfs").ref("localhost/broken:1"));
        assertEquals(1, intoNew.status(), intoNew::toString);
        assertFalse(Files.exists(fresh.resolve("root")), "a store made for a failed write is removed");
    }

    /** Every path under a store, with the size of files, except lock files whose tokens change on reads. */
    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> !p.toString().endsWith(".lock")).map(p -> {
                try {
                    return root.relativize(p) + (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? " " + Files.size(p) : "");
                } catch (IOException e) {
                    return root.relativize(p).toString();
                }
            }).sorted().toList();
        }
    }

    /** The sha256 of each layer of an OCI layout's only image after decompressing it. */
    private static List<String> uncompressedLayerDigests(Path layout) throws IOException {
        var index = hoist.engine.image.Json.read(Files.readAllBytes(layout.resolve("index.json")));
        String manifestDigest = index.path("manifests").get(0).path("digest").asText();
        var manifest = hoist.engine.image.Json.read(Files.readAllBytes(blob(layout, manifestDigest)));
        List<String> digests = new ArrayList<>();
        for (var layer : manifest.path("layers")) {
            try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(blob(layout, layer.path("digest").asText())))) {
                in.mark(2);
                boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
                in.reset();
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                InputStream plain = gzip ? new GZIPInputStream(in) : in;
                byte[] buffer = new byte[65536];
                int n;
                while ((n = plain.read(buffer)) > 0) {
                    sha.update(buffer, 0, n);
                }
                digests.add("sha256:" + java.util.HexFormat.of().formatHex(sha.digest()));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
        }
        return digests;
    }

    private static Path blob(Path layout, String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }
}
