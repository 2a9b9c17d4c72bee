package hoist.shell;

import hoist.engine.testing.Buildah;
import hoist.engine.testing.Command;
import hoist.engine.testing.Registry;
import hoist.engine.testing.Skopeo;
import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.image.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import hoist.engine.image.Digest;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hoist reads buildah's store in place (vfs and overlay, as root: the kernel here mounts overlay,
 * and reading or writing a layer's {@code diff} directory needs no mount at all): the layers it
 * sends are byte for byte the tarballs buildah sends.
 */
class ContainersStorageTest {

    private static Registry registry;
    private static Path stores;
    private static final Map<String, Buildah> BUILT = new HashMap<>();

    @TempDir
    Path temp;

    @BeforeAll
    static void start() throws IOException {
        registry = Registry.start();
        stores = Files.createTempDirectory("hoist-cs-");
    }

    @AfterAll
    static void stop() {
        registry.close();
        Command.exec(List.of("rm", "-rf", stores.toString()), Map.of());
    }

    /** A store per driver with the rich image {@code localhost/rich} built once. */
    private static synchronized Buildah rich(String driver) {
        return BUILT.computeIfAbsent(driver, d -> {
            Buildah buildah = new Buildah(stores.resolve(d), d);
            buildah.buildRichImage("localhost/rich");
            return buildah;
        });
    }

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    /** skopeo's view of an image; registry references are read over plain http. */
    private static JsonNode skopeo(String reference, String... args) {
        List<String> command = new ArrayList<>(List.of("skopeo", "inspect"));
        if (reference.startsWith("docker://")) {
            command.add("--tls-verify=false");
        }
        command.addAll(List.of(args));
        command.add(reference);
        try {
            return Json.read(Command.run(command, Map.of()).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> layers(String reference) {
        List<String> digests = new ArrayList<>();
        skopeo(reference).path("Layers").forEach(l -> digests.add(l.asText()));
        return digests;
    }

    private static JsonNode config(String reference) {
        return skopeo(reference, "--config", "--raw");
    }

    private static List<String> diffIds(String reference) {
        List<String> ids = new ArrayList<>();
        config(reference).path("rootfs").path("diff_ids").forEach(d -> ids.add(d.asText()));
        return ids;
    }

    /**
     * buildah 1.28 compresses even with {@code -D}, so its layers are compared after gunzip: the
     * tarballs inside are byte for byte the ones hoist sends uncompressed, and both are the diff IDs.
     */
    @ParameterizedTest
    @ValueSource(strings = {"vfs", "overlay"})
    void uncompressedPushSendsExactlyTheTarballsBuildahSends(String driver) throws IOException {
        Buildah buildah = rich(driver);
        String byHoist = registry.ref(driver + "/hoist:1");
        String byBuildah = registry.ref(driver + "/buildah:1");
        ok(hoist("push", "-q", "-D", "--tls-verify=false", buildah.ref("localhost/rich"), byHoist));
        buildah.run("push", "-q", "-D", "--tls-verify=false", "localhost/rich", byBuildah);

        List<String> expected = buildah.diffIds("localhost/rich");
        assertEquals(2, expected.size());
        assertEquals(expected, layers(byHoist));
        assertEquals(expected, uncompressedLayerDigests(byBuildah));
        assertEquals(config(byBuildah), config(byHoist));
    }

    /** The sha256 of each layer of an image after decompressing it, read through skopeo. */
    private List<String> uncompressedLayerDigests(String reference) throws IOException {
        Path dir = Files.createTempDirectory(temp, "layers-");
        Command.run("skopeo", "copy", "-q", "--insecure-policy", "--src-tls-verify=false", reference, "dir:" + dir);
        JsonNode manifest = Json.read(Files.readAllBytes(dir.resolve("manifest.json")));
        List<String> digests = new ArrayList<>();
        for (JsonNode layer : manifest.path("layers")) {
            Path blob = dir.resolve(layer.path("digest").asText().substring("sha256:".length()));
            try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(blob))) {
                in.mark(2);
                boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
                in.reset();
                InputStream plain = gzip ? new GZIPInputStream(in) : in;
                digests.add(Digest.sha256(plain.readAllBytes()).toString());
            }
        }
        return digests;
    }

    @Test
    void compressedPushKeepsTheDiffIds() {
        Buildah buildah = rich("vfs");
        String pushed = registry.ref("compressed/rich:1");
        ok(hoist("push", "-q", "--tls-verify=false", buildah.ref("localhost/rich"), pushed));
        List<String> expected = buildah.diffIds("localhost/rich");
        assertEquals(expected, diffIds(pushed));
        List<String> layers = layers(pushed);
        assertEquals(2, layers.size());
        assertFalse(layers.contains(expected.get(0)), "layers are compressed: " + layers);
        Skopeo.copy("--src-tls-verify=false", pushed, "oci:" + temp.resolve("check") + ":x"); // skopeo verifies every blob
    }

    /**
     * The blob knowledge remembers what each uncompressed layer became, so the second push finds
     * the compressed blobs in the registry without reading (let alone compressing) a layer: it
     * succeeds even after the layer's files were damaged.
     */
    @Test
    void aSecondPushOfTheSameImageCompressesNothing() throws IOException {
        Buildah buildah = new Buildah(temp.resolve("again"), "vfs");
        byte[] random = new byte[2_000_000];
        new java.util.Random(11).nextBytes(random);
        buildah.commit("scratch", "localhost/again", rootfs -> Files.write(rootfs.resolve("data"), random));
        String pushed = registry.ref("again/app:1");
        Path first = temp.resolve("first.digest");
        Path second = temp.resolve("second.digest");
        ok(hoist("push", "-q", "--tls-verify=false", "--digestfile", first.toString(), buildah.ref("localhost/again"), pushed));
        try (var dirs = Files.list(buildah.root().resolve("vfs/dir"))) {
            for (Path dir : dirs.toList()) {
                if (Files.exists(dir.resolve("data"))) {
                    Files.write(dir.resolve("data"), new byte[random.length]);
                }
            }
        }
        long start = System.nanoTime();
        Cli.Run again = ok(hoist("push", "--tls-verify=false", "--digestfile", second.toString(), buildah.ref("localhost/again"), pushed));
        long millis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        List<String> blobLines = again.err().lines().filter(l -> l.startsWith("Copying blob")).toList();
        assertEquals(1, blobLines.size(), again::toString);
        assertTrue(blobLines.stream().allMatch(l -> l.endsWith("skipped: already exists")), again::toString);
        assertEquals(Files.readString(first), Files.readString(second));
        assertTrue(millis < 5000, "the second push took " + millis + " ms");
    }

    @Test
    void imagesAreFoundByShortNameIdAndIdPrefix() {
        Buildah buildah = rich("vfs");
        String id = buildah.run("inspect", "--type", "image", "--format", "{{.FromImageID}}", "localhost/rich");
        for (String name : List.of("rich", "localhost/rich:latest", id, id.substring(0, 12), "localhost/rich@" + id)) {
            Path out = temp.resolve("by-" + name.replace('/', '_').replace(':', '_').replace('@', '_'));
            ok(hoist("copy", "-q", "-D", buildah.ref(name), "oci:" + out + ":x"));
            assertEquals(buildah.diffIds("localhost/rich"), diffIds("oci:" + out + ":x"), name);
        }
    }

    @Test
    void aMissingImageIsOneErrorLineAndWritesNothing() {
        Buildah buildah = rich("vfs");
        Path out = temp.resolve("out");
        Cli.Run run = hoist("copy", "-q", buildah.ref("localhost/absent"), "oci:" + out + ":x");
        assertFailedWithOneLine(run, "localhost/absent");
        assertFalse(Files.exists(out));
    }

    @Test
    void aStorePathThatDoesNotExistIsOneErrorLine() {
        Path out = temp.resolve("out");
        Cli.Run run = hoist("copy", "-q", "containers-storage:[vfs@" + temp.resolve("nowhere") + "+" + temp.resolve("run") + "]app",
                "oci:" + out + ":x");
        assertFailedWithOneLine(run, "does not exist");
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(temp.resolve("nowhere")));
    }

    @Test
    void aDamagedLayersJsonIsOneErrorLine() throws IOException {
        Buildah buildah = new Buildah(temp.resolve("damaged"), "vfs");
        buildah.commit("scratch", "localhost/small", rootfs -> Files.writeString(rootfs.resolve("f"), "f\n"));
        Path layers = buildah.root().resolve("vfs-layers/layers.json");
        Files.writeString(layers, Files.readString(layers).substring(0, 40));
        Path out = temp.resolve("out");
        Cli.Run run = hoist("copy", "-q", buildah.ref("localhost/small"), "oci:" + out + ":x");
        assertFailedWithOneLine(run, "layers.json is damaged");
        assertFalse(Files.exists(out));
    }

    @Test
    void aLayerWhoseFilesNoLongerMatchItsTarSplitIsOneErrorLine() throws IOException {
        Buildah buildah = new Buildah(temp.resolve("changed"), "vfs");
        buildah.commit("scratch", "localhost/small", rootfs -> Files.writeString(rootfs.resolve("f"), "f\n"));
        try (var dirs = Files.list(buildah.root().resolve("vfs/dir"))) {
            for (Path dir : dirs.toList()) {
                if (Files.exists(dir.resolve("f"))) {
                    Files.writeString(dir.resolve("f"), "g\n");
                }
            }
        }
        Path out = temp.resolve("out");
        Cli.Run run = hoist("copy", "-q", buildah.ref("localhost/small"), "oci:" + out + ":x");
        assertFailedWithOneLine(run, "does not match its tar-split checksum");
        assertFalse(Files.exists(out));
    }

    /**
     * Without tar-split data a layer is written from its directory as containers/storage writes
     * it, and checked against the diff ID: buildah's layers (hard links, symlinks, a FIFO, xattrs,
     * and on overlay whiteouts and an opaque directory) come out byte for byte; a vfs layer that
     * deletes files cannot (containers/storage stamps its whiteouts with the time they are made),
     * which is one error line naming the layer, and nothing written.
     */
    @Test
    void aLayerWithoutTarSplitIsWrittenFromItsDirectoryAsContainersStorageWritesIt() throws IOException {
        for (String driver : List.of("overlay", "vfs")) {
            Buildah buildah = new Buildah(temp.resolve("nosplit-" + driver), driver);
            buildah.buildRichImage("localhost/rich");
            List<String> expected = buildah.diffIds("localhost/rich");
            if (driver.equals("overlay")) {
                hoist.engine.testing.Whiteouts.pinTimes(buildah, "localhost/rich", temp);
            } else {
                sleepPastTheSecond(); // vfs whiteouts carry the time they are written: a later second never matches
            }
            deleteTarSplits(buildah);
            Path base = temp.resolve("base-" + driver);
            ok(hoist("copy", "-q", "-D", buildah.ref("localhost/rich-base"), "oci:" + base + ":x"));
            assertEquals(expected.subList(0, 1), diffIds("oci:" + base + ":x"), driver);
            Path out = temp.resolve("out-" + driver);
            Cli.Run run = hoist("copy", "-q", "-D", buildah.ref("localhost/rich"), "oci:" + out + ":x");
            if (driver.equals("overlay")) {
                assertEquals(0, run.status(), run::toString);
                assertEquals(expected, diffIds("oci:" + out + ":x"));
                assertEquals(expected, Skopeo.layers("oci:" + out + ":x"));
            } else {
                assertFailedWithOneLine(run, "has no tar-split data");
                assertTrue(run.err().contains(": layer ") && run.err().contains("is not the layer's " + expected.get(1)), run::toString);
                assertFalse(Files.exists(out));
            }
        }
    }

    private static void sleepPastTheSecond() {
        try {
            Thread.sleep(1100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTarSplits(Buildah buildah) throws IOException {
        try (var files = Files.list(buildah.root().resolve(buildah.store().substring(1, buildah.store().indexOf('@')) + "-layers"))) {
            for (Path file : files.toList()) {
                if (file.toString().endsWith(".tar-split.gz")) {
                    Files.delete(file);
                }
            }
        }
    }

    private static void assertFailedWithOneLine(Cli.Run run, String expected) {
        assertEquals(1, run.status(), run::toString);
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), run::toString);
        assertTrue(lines.get(0).startsWith("Error: ") && lines.get(0).contains(expected), run::toString);
        assertNotEquals("", lines.get(0));
    }
}
