package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;
import hoist.engine.image.MediaTypes;
import hoist.engine.testing.Buildah;
import hoist.engine.testing.Command;
import hoist.engine.testing.Registry;
import hoist.engine.testing.StartedRegistry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Layers compressed by hoist (gzip with the native deflate and with the JDK's, zstd, none), pushed
 * to a real registry and read back by skopeo, whose own decompression (Go's) must give the diff IDs
 * the config names; and lists pushed with compression variants.
 */
class CompressionRoundTripTest {

    @StartedRegistry
    private static Registry registry;

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    /** hoist in a JVM of its own, with {@code env} and the system properties {@code properties}. */
    private Command.Result hoistProcess(Map<String, String> env, List<String> properties, String... args) {
        return hoistProcess(temp.resolve("store"), env, properties, args);
    }

    /** hoist as a process of its own, with the local store (and so the record of compressed layers) at {@code root}. */
    private Command.Result hoistProcess(Path root, Map<String, String> env, List<String> properties, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(properties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--root", root.toString()));
        command.addAll(List.of(args));
        return Command.exec(command, env);
    }

    /** The multi-layer test image with its layers uncompressed, as skopeo writes it. */
    private String uncompressedSource() {
        String target = "dir:" + temp.resolve("plain");
        Skopeo.copy("--dest-decompress", TestImages.multiLayer(), target);
        Skopeo.manifest(target).path("layers").forEach(l -> assertEquals(MediaTypes.OCI_LAYER, l.path("mediaType").asText()));
        return target;
    }

    @Test
    void everyCompressionPushedByHoistIsReadBySkopeoWithTheConfigsDiffIds() throws IOException {
        String plain = uncompressedSource();
        List<String> diffIds = diffIds(plain);

        ok(hoist("copy", "-q", "--tls-verify=false", "--compression-format", "gzip", plain, registry.ref("rt/gzip:native")));
        // a store of its own: with the test's, the record of compressed layers would reuse what the native deflate made
        Command.Result jdk = hoistProcess(temp.resolve("jdk-store"), Map.of(), List.of("-Dhoist.deflate=jdk"), "copy", "-q", "--tls-verify=false",
                "--compression-format", "gzip", plain, registry.ref("rt/gzip:jdk"));
        assertEquals(0, jdk.status(), jdk.err());
        ok(hoist("copy", "-q", "--tls-verify=false", "--compression-format", "zstd", plain, registry.ref("rt/zstd:1")));
        ok(hoist("copy", "-q", "--tls-verify=false", "--compression-format", "none", TestImages.multiLayer(),
                registry.ref("rt/none:1")));

        Map<String, String> layerType = Map.of("rt/gzip:native", MediaTypes.OCI_LAYER_GZIP, "rt/gzip:jdk", MediaTypes.OCI_LAYER_GZIP,
                "rt/zstd:1", MediaTypes.OCI_LAYER_ZSTD, "rt/none:1", MediaTypes.OCI_LAYER);
        for (Map.Entry<String, String> pushed : layerType.entrySet()) {
            String ref = registry.ref(pushed.getKey());
            JsonNode manifest = Json.read(rawManifest(ref).getBytes(StandardCharsets.UTF_8));
            manifest.path("layers").forEach(l -> assertEquals(pushed.getValue(), l.path("mediaType").asText(), pushed.getKey()));
            assertEquals(diffIds, diffIdsReadBySkopeo(ref, pushed.getKey().replaceAll("[/:]", "-")), pushed.getKey());
        }
        // the two deflates write different bytes for the same layers: both were exercised
        assertTrue(!registryLayers(registry.ref("rt/gzip:native")).equals(
                registryLayers(registry.ref("rt/gzip:jdk"))), "native and JDK gzip differ");
    }

    @Test
    void versionSaysWhichDeflateIsInUse() {
        assertTrue(ok(hoist("--version")).out().contains("[deflate: ISA-L 2."), "the test command installs ISA-L");
        String version = ok(hoist("version")).out();
        assertTrue(version.lines().anyMatch(l -> l.matches("Deflate: +ISA-L 2\\..*")), version);
        Command.Result jdk = hoistProcess(Map.of("HOIST_DEFLATE", "jdk"), List.of(), "version");
        assertEquals(0, jdk.status(), jdk.err());
        assertTrue(jdk.out().lines().anyMatch(l -> l.matches("Deflate: +JDK zlib \\(ISA-L not used: asked for.*")), jdk.out());
    }

    @Test
    void aBlockGzipLayerIsOneStreamThatGzipTests() {
        String plain = uncompressedSource();
        ok(hoist("copy", "-q", "--compression-format", "gzip", plain, "oci:" + temp.resolve("layout") + ":gz"));
        JsonNode manifest = Skopeo.manifest("oci:" + temp.resolve("layout") + ":gz");
        assertEquals(4, manifest.path("layers").size());
        for (JsonNode layer : manifest.path("layers")) {
            assertEquals(MediaTypes.OCI_LAYER_GZIP, layer.path("mediaType").asText());
            Path blob = temp.resolve("layout/blobs/sha256").resolve(Digest.parse(layer.path("digest").asText()).hex());
            Command.run("gzip", "-t", blob.toString());
        }
    }

    @Test
    void layersAlreadyInTheAskedCompressionAreKeptByteForByteAndRecompressionKeepsDiffIds() throws IOException {
        String source = TestImages.multiLayer(); // gzip, written by skopeo
        ok(hoist("copy", "-q", "--tls-verify=false", "--compression-format", "gzip", "--force-compression=false",
                source, registry.ref("keep/gzip:1")));
        assertEquals(Skopeo.layers(source), registryLayers(registry.ref("keep/gzip:1")));

        ok(hoist("copy", "-q", "--tls-verify=false", "--compression-format", "zstd", source, registry.ref("keep/zstd:1")));
        ok(hoist("copy", "-q", "--tls-verify=false", "--compression-format", "gzip", "--force-compression",
                registry.ref("keep/zstd:1"), registry.ref("keep/regzip:1")));
        List<String> again = registryLayers(registry.ref("keep/regzip:1"));
        assertTrue(!again.equals(Skopeo.layers(source)), "recompressed by hoist");
        assertEquals(diffIds(source), diffIdsReadBySkopeo(registry.ref("keep/regzip:1"), "regzip"));
    }

    @Test
    void zstdChunkedIsPulledPartiallyByBuildahReadBySkopeoKeptAsIsAndDroppedOnRecompression() throws IOException {
        Buildah source = new Buildah(temp.resolve("source"), "vfs");
        source.buildRichImage("rich");
        List<String> diffIds = source.diffIds("rich");
        String chunked = registry.ref("chunked/rich:1");
        ok(hoist("copy", "-q", "--tls-verify=false", "--compression-format", "zstd:chunked", source.ref("rich"), chunked));

        JsonNode manifest = json(rawManifest(chunked));
        assertEquals(diffIds.size(), manifest.path("layers").size());
        for (JsonNode layer : manifest.path("layers")) {
            assertEquals(MediaTypes.OCI_LAYER_ZSTD, layer.path("mediaType").asText());
            JsonNode annotations = layer.path("annotations");
            assertTrue(annotations.path("io.github.containers.zstd-chunked.manifest-checksum").asText().startsWith("sha256:"), layer::toString);
            assertTrue(annotations.path("io.github.containers.zstd-chunked.manifest-position").asText().matches("\\d+:\\d+:\\d+:1"), layer::toString);
            assertTrue(annotations.path("io.github.containers.zstd-chunked.tarsplit-position").asText().matches("\\d+:\\d+:\\d+"), layer::toString);
        }
        assertEquals(diffIds, diffIdsReadBySkopeo(chunked, "chunked"), "Go's zstd reader gets the layers back");

        // buildah with partial pulls on reads each layer's table of contents and fetches the files by range
        Path conf = temp.resolve("partial/storage.conf");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, "[storage]\ndriver = \"overlay\"\ngraphroot = \"" + temp.resolve("partial/root") + "\"\n"
                + "runroot = \"" + temp.resolve("partial/run") + "\"\n[storage.options]\n"
                + "pull_options = {enable_partial_images = \"true\", use_hard_links = \"false\", ostree_repos = \"\"}\n");
        Map<String, String> partialEnv = Map.of("CONTAINERS_STORAGE_CONF", conf.toString());
        Command.Result pull = Command.exec(List.of("buildah", "--log-level", "debug", "pull", "--tls-verify=false", "docker://" + chunked.substring("docker://".length())), partialEnv);
        assertEquals(0, pull.status(), pull.err());
        assertEquals(diffIds.size(), pull.err().lines().filter(l -> l.contains("Retrieved partial blob")).count(), pull.err());
        String pulledImage = chunked.substring("docker://".length());
        String container = Command.run(List.of("buildah", "from", "--pull-never", pulledImage), partialEnv).trim();
        String original = source.run("from", "--pull-never", "rich");
        try {
            Path pulled = Path.of(Command.run(List.of("buildah", "mount", container), partialEnv).trim());
            // buildah 1.28's partial pull skips FIFOs and devices (it ignores those TOC entries); all else must be there
            assertEquals(tree(Path.of(source.run("mount", original)), true), tree(pulled, true));
        } finally {
            Command.run(List.of("buildah", "rm", container), partialEnv);
            source.run("rm", original);
        }

        // an ordinary pull checks every layer against its diff ID; buildah push -D gives them back
        Buildah plain = new Buildah(temp.resolve("plain-pull"), "vfs");
        plain.run("pull", "--tls-verify=false", chunked);
        Path pushed = temp.resolve("pushed-by-buildah");
        plain.run("push", "-D", pulledImage, "dir:" + pushed);
        assertEquals(diffIds, Skopeo.layers("dir:" + pushed));

        // kept byte for byte, annotations and all, when no recompression is forced
        String kept = registry.ref("chunked/kept:1");
        ok(hoist("copy", "-q", "--tls-verify=false", "--compression-format", "zstd:chunked", "--force-compression=false", chunked, kept));
        assertEquals(manifest.path("layers"), json(rawManifest(kept)).path("layers"));

        // recompressed to gzip: the table of contents is gone, and so are its annotations
        String gzip = registry.ref("chunked/gzip:1");
        ok(hoist("copy", "-q", "--tls-verify=false", "--compression-format", "gzip", chunked, gzip));
        for (JsonNode layer : json(rawManifest(gzip)).path("layers")) {
            assertEquals(MediaTypes.OCI_LAYER_GZIP, layer.path("mediaType").asText());
            layer.path("annotations").fieldNames().forEachRemaining(k -> assertTrue(!k.contains("zstd-chunked"), layer::toString));
        }
        assertEquals(diffIds, diffIdsReadBySkopeo(gzip, "chunked-gzip"));
    }

    private static Map<String, String> xattrs(Path file) throws IOException {
        java.nio.file.attribute.UserDefinedFileAttributeView view =
                Files.getFileAttributeView(file, java.nio.file.attribute.UserDefinedFileAttributeView.class);
        Map<String, String> values = new java.util.TreeMap<>();
        for (String name : view.list()) {
            java.nio.ByteBuffer value = java.nio.ByteBuffer.allocate(view.size(name));
            view.read(name, value);
            values.put(name, new String(value.array(), StandardCharsets.UTF_8));
        }
        return values;
    }

    /** Every path under {@code root} with its type, mode, size, link target and content digest; FIFOs left out when asked. */
    private static Map<String, String> tree(Path root, boolean withoutFifos) throws IOException {
        Map<String, String> entries = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(root)) {
                    continue; // the mount point, whose mode is the driver's
                }
                Map<String, Object> unix = Files.readAttributes(p, "unix:mode,size,nlink", java.nio.file.LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) unix.get("mode");
                if (withoutFifos && (mode & 0170000) == 0010000) {
                    continue;
                }
                String type = Integer.toOctalString(mode) + " " + (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? "" : unix.get("size"));
                String extra = Files.isSymbolicLink(p) ? Files.readSymbolicLink(p).toString()
                        : Files.isRegularFile(p) ? Digest.sha256(Files.readAllBytes(p)) + " " + xattrs(p) : "";
                entries.put(root.relativize(p).toString(), type + " " + extra);
            }
        }
        return entries;
    }

    @Test
    void manifestPushAddsAZstdInstancePerPlatformWithPodmansAnnotation() throws IOException {
        ok(hoist("manifest", "create", "multi:1", TestImages.multiLayer()));
        ok(hoist("manifest", "add", "multi:1", armImage()));
        ok(hoist("manifest", "push", "-q", "--tls-verify=false", "--add-compression", "zstd", "multi:1",
                registry.ref("variants/multi:1")));
        JsonNode index = Json.read(rawManifest(registry.ref("variants/multi:1")).getBytes(StandardCharsets.UTF_8));
        assertEquals(MediaTypes.OCI_INDEX, index.path("mediaType").asText());
        assertVariants(index, registry.ref("variants/multi"));

        Skopeo.copy("--all", "--src-tls-verify=false", registry.ref("variants/multi:1"),
                "oci:" + temp.resolve("all") + ":all");
    }

    @Test
    void containersConfAddCompressionIsManifestPushsDefault() throws IOException {
        ok(hoist("manifest", "create", "conf:1", TestImages.multiLayer()));
        ok(hoist("manifest", "add", "conf:1", armImage()));
        Path conf = temp.resolve("containers.conf");
        Files.writeString(conf, "[engine]\nadd_compression = [\"zstd\"]\ncompression_level = 5\n");
        Command.Result push = hoistProcess(Map.of("CONTAINERS_CONF", conf.toString()), List.of(),
                "manifest", "push", "-q", "--tls-verify=false", "conf:1", registry.ref("conf/multi:1"));
        assertEquals(0, push.status(), push.err());
        JsonNode index = Json.read(rawManifest(registry.ref("conf/multi:1")).getBytes(StandardCharsets.UTF_8));
        assertVariants(index, registry.ref("conf/multi"));

        Files.writeString(conf, "[engine]\nadd_compression = [\"lz4\"]\n");
        Command.Result bad = hoistProcess(Map.of("CONTAINERS_CONF", conf.toString()), List.of(),
                "manifest", "push", "-q", "--tls-verify=false", "conf:1", registry.ref("conf/bad:1"));
        assertEquals(1, bad.status(), bad.err());
        assertTrue(bad.err().startsWith("Error: " + conf) && bad.err().contains("lz4"), bad.err());
    }

    /** Two platforms, each once without the annotation (gzip) and once with it (zstd layers), the zstd ones last. */
    private void assertVariants(JsonNode index, String repository) throws IOException {
        JsonNode manifests = index.path("manifests");
        assertEquals(4, manifests.size(), index.toString());
        Map<String, Integer> zstdPerPlatform = new HashMap<>();
        for (int i = 0; i < manifests.size(); i++) {
            JsonNode entry = manifests.get(i);
            String platform = entry.path("platform").path("os").asText() + "/" + entry.path("platform").path("architecture").asText();
            boolean zstd = "true".equals(entry.path("annotations").path("io.github.containers.compression.zstd").asText());
            assertEquals(i >= 2, zstd, "the variants come after the list's own instances: " + index);
            JsonNode child = Json.read(rawManifest(repository + "@" + entry.path("digest").asText())
                    .getBytes(StandardCharsets.UTF_8));
            String expected = zstd ? MediaTypes.OCI_LAYER_ZSTD : MediaTypes.OCI_LAYER_GZIP;
            child.path("layers").forEach(l -> assertEquals(expected, l.path("mediaType").asText(), platform));
            zstdPerPlatform.merge(platform, zstd ? 1 : 0, Integer::sum);
            if (zstd) {
                String ref = repository + "@" + entry.path("digest").asText();
                assertEquals(diffIds(ref), diffIdsReadBySkopeo(ref, "variant" + i), platform);
            }
        }
        assertEquals(Map.of("linux/amd64", 1, "linux/arm64", 1), zstdPerPlatform);
    }

    /** The arm64 image of the test index, alone in a layout of its own (made by skopeo). */
    private String armImage() {
        String target = "oci:" + temp.resolve("arm") + ":arm";
        Skopeo.copy("--override-arch", "arm64", TestImages.multiPlatform(), target);
        return target;
    }

    private static List<String> registryLayers(String ref) {
        List<String> digests = new ArrayList<>();
        json(rawManifest(ref)).path("layers").forEach(l -> digests.add(l.path("digest").asText()));
        return digests;
    }

    private static String rawManifest(String ref) {
        return Command.run(List.of("skopeo", "inspect", "--tls-verify=false", "--raw", ref), Map.of());
    }

    private static List<String> diffIds(String ref) {
        List<String> ids = new ArrayList<>();
        JsonNode config = ref.startsWith("docker://")
                ? json(Command.run(List.of("skopeo", "inspect", "--tls-verify=false", "--config", "--raw", ref), Map.of()))
                : Skopeo.config(ref);
        config.path("rootfs").path("diff_ids").forEach(d -> ids.add(d.asText()));
        return ids;
    }

    /**
     * skopeo pulls {@code ref} into a directory with every layer decompressed by skopeo itself
     * (Go's gzip and zstd readers); the digests of those layers are the diff IDs of what it read.
     */
    private List<String> diffIdsReadBySkopeo(String ref, String name) {
        String layout = "dir:" + temp.resolve("read-" + name);
        Skopeo.copy("--src-tls-verify=false", "--dest-decompress", ref, layout);
        List<String> digests = new ArrayList<>();
        Skopeo.manifest(layout).path("layers").forEach(l -> {
            assertEquals(MediaTypes.OCI_LAYER, l.path("mediaType").asText(), "skopeo decompressed " + ref);
            digests.add(l.path("digest").asText());
        });
        return digests;
    }

    private static JsonNode json(String text) {
        try {
            return Json.read(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
