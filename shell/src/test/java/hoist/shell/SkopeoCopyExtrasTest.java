package hoist.shell;

import hoist.engine.testing.Command;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * skopeo copy's {@code --additional-tag} (docker-archive: destinations) and
 * {@code --src-shared-blob-dir}/{@code --dest-shared-blob-dir} (oci: layouts), checked against skopeo.
 */
class SkopeoCopyExtrasTest {

    private static final List<String> NAMES = List.of("example.com/main:3", "foo/bar:1", "example.com/x:2");

    @TempDir
    Path temp;

    private Cli cli() {
        return new Cli(temp.resolve("store"));
    }

    private static void assertSucceeded(Cli.Run run) {
        assertEquals(0, run.status(), run::toString);
    }

    private static void assertOneErrorLine(int status, Cli.Run run) {
        assertEquals(status, run.status(), run::toString);
        List<String> lines = run.err().strip().lines().toList();
        assertEquals(1, lines.size(), run::toString);
        assertTrue(lines.get(0).startsWith("Error: "), run::toString);
    }

    private static List<String> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void additionalTagsNameTheArchivedImageAsSkopeosDo() {
        String original = TestImages.multiLayer();
        Path byHoist = temp.resolve("hoist.tar");
        Path bySkopeo = temp.resolve("skopeo.tar");
        assertSucceeded(cli().run("copy", "-q", "--additional-tag", NAMES.get(1), "--additional-tag", NAMES.get(2),
                original, "docker-archive:" + byHoist + ":" + NAMES.get(0)));
        Skopeo.copy("--additional-tag", NAMES.get(1), "--additional-tag", NAMES.get(2), original,
                "docker-archive:" + bySkopeo + ":" + NAMES.get(0));
        for (String name : NAMES) {
            String hoistImage = "docker-archive:" + byHoist + ":" + name;
            String skopeoImage = "docker-archive:" + bySkopeo + ":" + name;
            assertEquals(Skopeo.manifestDigest(skopeoImage), Skopeo.manifestDigest(hoistImage), name);
            assertEquals(Skopeo.layers(skopeoImage), Skopeo.layers(hoistImage), name);
        }
        String absent = "docker-archive:" + byHoist + ":example.com/absent:9";
        assertNotEquals(0, Command.exec(List.of("skopeo", "inspect", "--raw", absent), Map.of()).status(),
                "a name not given is not in the archive");
    }

    @Test
    void additionalTagsAloneNameAnArchiveWrittenWithoutAName() {
        String original = TestImages.multiLayer();
        Path archive = temp.resolve("unnamed.tar");
        assertSucceeded(cli().run("copy", "-q", "--additional-tag", "foo/bar:1", original, "docker-archive:" + archive));
        assertEquals(Skopeo.layers(original).size(), Skopeo.layers("docker-archive:" + archive + ":foo/bar:1").size());
        assertEquals(Skopeo.layers("docker-archive:" + archive + ":docker.io/foo/bar:1"),
                Skopeo.layers("docker-archive:" + archive + ":foo/bar:1"));
    }

    @Test
    void anAdditionalTagWithoutATagIsAUsageErrorAndWritesNothing() {
        String original = TestImages.multiLayer();
        for (String bad : List.of("foo/bar", "foo/bar@sha256:" + "0".repeat(64), "Foo:1")) {
            Path archive = temp.resolve("bad.tar");
            assertOneErrorLine(2, cli().run("copy", "-q", "--additional-tag", bad, original, "docker-archive:" + archive));
            assertFalse(Files.exists(archive), bad);
        }
    }

    @Test
    void otherDestinationsIgnoreAdditionalTagsAsSkopeosDo() {
        String original = TestImages.multiLayer();
        String layout = "oci:" + temp.resolve("layout") + ":y";
        assertSucceeded(cli().run("copy", "-q", "--additional-tag", "foo/bar:1", original, layout));
        assertEquals(Skopeo.manifestDigest(original), Skopeo.manifestDigest(layout));
    }

    @Test
    void skopeoReadsALayoutWhoseBlobsHoistWroteToASharedDirectory() {
        String original = TestImages.multiLayer();
        Path shared = temp.resolve("shared");
        Path layout = temp.resolve("layout");
        assertSucceeded(cli().run("copy", "-q", "--dest-shared-blob-dir", shared.toString(), original,
                "oci:" + layout + ":y"));
        assertEquals(List.of(), files(layout.resolve("blobs")), "no blob in the layout itself");
        assertEquals(Skopeo.layers(original).size() + 2, files(shared.resolve("sha256")).size(),
                "layers, config and manifest in the shared directory");
        String back = "oci:" + temp.resolve("back") + ":z";
        Skopeo.copy("--src-shared-blob-dir", shared.toString(), "oci:" + layout + ":y", back);
        assertEquals(Skopeo.manifestDigest(original), Skopeo.manifestDigest(back));
        assertEquals(Skopeo.layers(original), Skopeo.layers(back));
    }

    @Test
    void hoistReadsALayoutWhoseBlobsSkopeoWroteToASharedDirectory() {
        String original = TestImages.multiLayer();
        Path shared = temp.resolve("shared");
        String layout = "oci:" + temp.resolve("layout") + ":y";
        Skopeo.copy("--dest-shared-blob-dir", shared.toString(), original, layout);
        String back = "oci:" + temp.resolve("back") + ":z";
        assertSucceeded(cli().run("copy", "-q", "--src-shared-blob-dir", shared.toString(), layout, back));
        assertEquals(Skopeo.manifestDigest(original), Skopeo.manifestDigest(back));
        assertEquals(Skopeo.layers(original), Skopeo.layers(back));
        String without = "oci:" + temp.resolve("without") + ":z";
        assertOneErrorLine(1, cli().run("copy", "-q", layout, without));
        assertFalse(Files.exists(temp.resolve("without")));
    }

    @Test
    void aFailedWriteLeavesNoBlobInTheSharedDirectory() {
        Path shared = temp.resolve("shared");
        Path source = temp.resolve("source");
        String layout = "oci:" + source + ":y";
        Skopeo.copy(TestImages.multiLayer(), layout);
        List<String> blobs = files(source.resolve("blobs/sha256"));
        String lastLayer = Skopeo.layers(layout).get(Skopeo.layers(layout).size() - 1);
        try {
            Files.delete(source.resolve("blobs/sha256").resolve(lastLayer.substring("sha256:".length())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(blobs.size() - 1, files(source.resolve("blobs/sha256")).size());
        assertOneErrorLine(1, cli().run("copy", "-q", "--dest-shared-blob-dir", shared.toString(), layout,
                "oci:" + temp.resolve("target") + ":y"));
        assertEquals(List.of(), files(shared));
        assertFalse(Files.exists(temp.resolve("target")));
    }
}
