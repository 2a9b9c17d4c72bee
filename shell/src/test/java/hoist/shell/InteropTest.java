package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.image.Digest;
import hoist.engine.testing.DockerDaemon;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** hoist and skopeo read each other's output in every file format, and docker loads what hoist writes. */
class InteropTest {

    @TempDir
    Path temp;

    private Cli cli() {
        return new Cli(temp.resolve("store"));
    }

    private static void assertSucceeded(Cli.Run run) {
        assertEquals(0, run.status(), run::toString);
    }

    private static List<String> diffIds(String reference) {
        List<String> ids = new ArrayList<>();
        Skopeo.config(reference).path("rootfs").path("diff_ids").forEach(d -> ids.add(d.asText()));
        return ids;
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "oci-archive", "dir"})
    void readsWhatSkopeoWritesKeepingEveryDigest(String transport) {
        String original = TestImages.multiLayer();
        String skopeoWrote = TestImages.as(original, transport, temp.resolve("by-skopeo"));
        String hoistWrote = "oci:" + temp.resolve("by-hoist") + ":copy";
        assertSucceeded(cli().run("copy", "-q", skopeoWrote, hoistWrote));
        assertEquals(Skopeo.manifestDigest(skopeoWrote), Skopeo.manifestDigest(hoistWrote));
        assertEquals(Skopeo.layers(original), Skopeo.layers(hoistWrote));
    }

    @Test
    void readsWhatSkopeoWritesToADockerArchive() {
        String original = TestImages.multiLayer();
        String archive = TestImages.as(original, "docker-archive", temp.resolve("skopeo.tar"));
        String copy = "oci:" + temp.resolve("from-archive") + ":copy";
        assertSucceeded(cli().run("copy", "-q", archive, copy));
        assertEquals(diffIds(original), diffIds(copy));
        assertEquals(4, Skopeo.layers(copy).size());
        Cli.Run byTag = cli().run("inspect", "--raw", "docker-archive:" + temp.resolve("skopeo.tar") + ":example.com/test/img:1");
        assertSucceeded(byTag);
        Cli.Run byIndex = cli().run("inspect", "--raw", "docker-archive:" + temp.resolve("skopeo.tar") + ":@0");
        assertEquals(byTag.out(), byIndex.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "oci-archive", "dir"})
    void skopeoReadsWhatHoistWrites(String transport) {
        String original = TestImages.multiLayer();
        Path where = temp.resolve("out");
        String target = switch (transport) {
            case "dir" -> "dir:" + where;
            default -> transport + ":" + where + ":v1";
        };
        assertSucceeded(cli().run("copy", "-q", original, target));
        assertEquals(Skopeo.manifestDigest(original), Skopeo.manifestDigest(target), "no conversion: same manifest");
        String back = "oci:" + temp.resolve("back") + ":img";
        Skopeo.copy(target, back);
        assertEquals(Skopeo.layers(original), Skopeo.layers(back));
    }

    @Test
    void schema2OutputIsReadBySkopeoAndLoadedByDocker() throws Exception {
        String original = TestImages.multiLayer();
        String v2s2 = "dir:" + temp.resolve("v2s2");
        assertSucceeded(cli().run("copy", "-q", "--format", "v2s2", original, v2s2));
        JsonNode manifest = Skopeo.manifest(v2s2);
        assertEquals("application/vnd.docker.distribution.manifest.v2+json", manifest.path("mediaType").asText());
        assertEquals("application/vnd.docker.image.rootfs.diff.tar.gzip", manifest.path("layers").get(0).path("mediaType").asText());
        assertEquals(Skopeo.layers(original), Skopeo.layers(v2s2), "conversion keeps the layer digests");

        Path archive = temp.resolve("image.tar");
        assertSucceeded(cli().run("copy", "-q", original, "docker-archive:" + archive + ":example.com/hoist/loaded:1"));
        assertEquals(diffIds(original), diffIds("docker-archive:" + archive));
        try (DockerDaemon docker = DockerDaemon.start()) {
            String loaded = docker.run("load", "-i", archive.toString());
            assertTrue(loaded.contains("example.com/hoist/loaded:1"), loaded);
            String rootfs = docker.run("image", "inspect", "--format", "{{json .RootFS.Layers}}", "example.com/hoist/loaded:1");
            for (String diffId : diffIds(original)) {
                assertTrue(rootfs.contains(diffId), rootfs);
            }
            Path saved = temp.resolve("saved.tar");
            docker.run("save", "-o", saved.toString(), "example.com/hoist/loaded:1");
            String fromDocker = "oci:" + temp.resolve("from-docker") + ":x";
            assertSucceeded(cli().run("copy", "-q", "docker-archive:" + saved, fromDocker));
            assertEquals(diffIds(original), diffIds(fromDocker));

            assertSucceeded(cli().run("copy", "-q", TestImages.multiPlatform(), "docker-archive:" + temp.resolve("second.tar")
                    + ":example.com/hoist/second:2"));
            docker.run("load", "-i", temp.resolve("second.tar").toString());
            Path both = temp.resolve("both.tar");
            docker.run("save", "-o", both.toString(), "example.com/hoist/loaded:1", "example.com/hoist/second:2");
            Cli.Run ambiguous = cli().run("inspect", "docker-archive:" + both);
            assertEquals(1, ambiguous.status(), ambiguous::toString);
            assertTrue(ambiguous.err().contains("holds 2 images"), ambiguous::toString);
            String second = cli().run("inspect", "--config", "docker-archive:" + both + ":example.com/hoist/second:2").out();
            String first = cli().run("inspect", "--config", "docker-archive:" + both + ":example.com/hoist/loaded:1").out();
            assertTrue(second.contains("\"amd64\"") && !second.equals(first), second);
            String byIndex0 = cli().run("inspect", "--config", "docker-archive:" + both + ":@0").out();
            String byIndex1 = cli().run("inspect", "--config", "docker-archive:" + both + ":@1").out();
            assertEquals(java.util.Set.of(first, second), java.util.Set.of(byIndex0, byIndex1));
        }
    }

    @Test
    void allCopiesEveryPlatformAndWithoutItOnlyThisOne() {
        String list = TestImages.multiPlatform();
        String all = "oci:" + temp.resolve("all") + ":list";
        assertSucceeded(cli().run("copy", "-q", "--all", list, all));
        assertEquals(Skopeo.manifestDigest(list), Skopeo.manifestDigest(all));
        JsonNode index = Skopeo.manifest(all);
        assertEquals(2, index.path("manifests").size());
        Skopeo.copy("--all", all, "oci:" + temp.resolve("skopeo-all") + ":list");

        String one = "oci:" + temp.resolve("one") + ":img";
        assertSucceeded(cli().run("copy", "-q", list, one));
        JsonNode manifest = Skopeo.manifest(one);
        assertEquals("application/vnd.oci.image.manifest.v1+json", manifest.path("mediaType").asText());
        assertEquals("amd64", Skopeo.config(one).path("architecture").asText());
    }

    @Test
    void fanOutWritesTheSameRecompressedImageEverywhere() {
        String original = TestImages.multiLayer();
        List<String> targets = List.of("oci:" + temp.resolve("a") + ":z", "oci-archive:" + temp.resolve("b.tar") + ":z",
                "oci:" + temp.resolve("c") + ":z");
        List<String> args = new ArrayList<>(List.of("copy", "-q", "--compression-format", "zstd",
                "--digestfile", temp.resolve("digest").toString(), original));
        args.addAll(targets);
        assertSucceeded(cli().run(args.toArray(String[]::new)));
        Digest first = Skopeo.manifestDigest(targets.get(0));
        for (String target : targets) {
            assertEquals(first, Skopeo.manifestDigest(target));
            Skopeo.manifest(target).path("layers").forEach(l ->
                    assertEquals("application/vnd.oci.image.layer.v1.tar+zstd", l.path("mediaType").asText()));
        }
        assertNotEquals(Skopeo.manifestDigest(original), first);
        assertEquals(diffIds(original), diffIds(targets.get(1)), "recompression keeps the uncompressed content");
        Skopeo.copy(targets.get(1), "dir:" + temp.resolve("skopeo-reads-zstd"));
        assertEquals(first.toString(), readString(temp.resolve("digest")));
    }

    @Test
    void zstdFallsBackToOciUnlessSchema2WasAskedFor() {
        String original = TestImages.multiLayer();
        String zstd = "oci:" + temp.resolve("zstd") + ":z";
        assertSucceeded(cli().run("copy", "-q", "--compression-format", "zstd", original, zstd));
        Cli.Run asked = cli().run("copy", "-q", "--format", "v2s2", zstd, "dir:" + temp.resolve("refused"));
        assertEquals(1, asked.status(), asked::toString);
        assertTrue(asked.err().startsWith("Error: ") && asked.err().contains("zstd"), asked::toString);
        assertTrue(Files.notExists(temp.resolve("refused")));
        assertSucceeded(cli().run("copy", "-q", zstd, "dir:" + temp.resolve("kept")));
        assertEquals("application/vnd.oci.image.manifest.v1+json",
                Skopeo.manifest("dir:" + temp.resolve("kept")).path("mediaType").asText());
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
