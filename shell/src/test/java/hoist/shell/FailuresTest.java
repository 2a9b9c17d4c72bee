package hoist.shell;

import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input ends with one clear Error: line, status 1, and nothing half written. */
class FailuresTest {

    @TempDir
    Path temp;

    private Cli.Run run(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    private static void assertFailed(Cli.Run run, String... expected) {
        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().startsWith("Error: "), run::toString);
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run);
        for (String text : expected) {
            assertTrue(run.err().contains(text), "expected \"" + text + "\" in: " + run);
        }
    }

    @Test
    void aCorruptBlobInTheSourceIsNamedAndTheDestinationIsLeftAsItWas() throws IOException {
        Path source = temp.resolve("source");
        assertEquals(0, run("copy", "-q", TestImages.multiLayer(), "oci:" + source + ":img").status());
        String layer = Skopeo.layers("oci:" + source + ":img").get(0);
        LocalStoreTest.flipByte(source.resolve("blobs/sha256").resolve(layer.substring(7)), 5000);

        Path existing = temp.resolve("existing");
        assertEquals(0, run("copy", "-q", TestImages.multiPlatform(), "oci:" + existing + ":other").status());
        byte[] indexBefore = Files.readAllBytes(existing.resolve("index.json"));
        long blobsBefore = count(existing.resolve("blobs/sha256"));

        assertFailed(run("copy", "-q", "oci:" + source + ":img", "oci:" + existing + ":img", "oci:" + temp.resolve("new") + ":img",
                "docker-archive:" + temp.resolve("new.tar")), layer, "does not match its content");
        assertArrayEquals(indexBefore, Files.readAllBytes(existing.resolve("index.json")));
        assertEquals(blobsBefore, count(existing.resolve("blobs/sha256")), "blobs of the failed copy are removed");
        assertTrue(Files.notExists(temp.resolve("new")));
        assertTrue(Files.notExists(temp.resolve("new.tar")));
        assertFailed(run("pull", "-q", "oci:" + source + ":img"), layer);
        assertEquals("", run("images", "-q").out().strip(), "nothing reached the store");
    }

    @Test
    void missingSourcesAndUnknownRefsNameWhatIsMissing() {
        assertFailed(run("copy", "oci:" + temp.resolve("nowhere") + ":x", "dir:" + temp.resolve("d")), "nowhere");
        Path layout = temp.resolve("layout");
        assertEquals(0, run("copy", "-q", TestImages.multiLayer(), "oci:" + layout + ":one").status());
        assertEquals(0, run("copy", "-q", TestImages.multiLayer(), "oci:" + layout + ":two").status());
        assertFailed(run("inspect", "oci:" + layout + ":three"), "no image named \"three\"", "one", "two");
        assertFailed(run("inspect", "oci:" + layout), "holds 2 images");
        assertFailed(run("push", "nosuchimage", "oci:" + temp.resolve("x")), "nosuchimage: image not known");
    }

    @Test
    void aDamagedIndexIsReportedWithItsFile() throws IOException {
        Path layout = temp.resolve("layout");
        assertEquals(0, run("copy", "-q", TestImages.multiLayer(), "oci:" + layout + ":one").status());
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\": 2, \"manifests\": [{\"digest\": 7}]}");
        assertFailed(run("inspect", "oci:" + layout + ":one"), "index.json", "manifests[0]");
    }

    @Test
    void hostileOrBrokenArchivesAreRefused() throws IOException {
        assertFailed(run("inspect", "docker-archive:" + archive("dotdot.tar", Map.of("../escape", "x", "manifest.json", "[]"))),
                "..", "leaves the archive");
        assertFailed(run("inspect", "docker-archive:" + archive("absolute.tar", Map.of("/etc/passwd", "x"))), "absolute path");
        Path symlink = temp.resolve("symlink.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(symlink))) {
            TarArchiveEntry link = new TarArchiveEntry("manifest.json", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("../../etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        assertFailed(run("inspect", "docker-archive:" + symlink), "points outside the archive");
        assertFailed(run("inspect", "docker-archive:" + archive("badjson.tar", Map.of("manifest.json", "[{not json"))),
                "manifest.json", "not valid JSON");
        assertFailed(run("inspect", "docker-archive:" + archive("missing.tar",
                Map.of("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[],\"Layers\":[\"l.tar\"]}]"))), "c.json");

        Path good = temp.resolve("good.tar");
        assertEquals(0, run("copy", "-q", TestImages.multiLayer(), "docker-archive:" + good).status());
        Path truncated = temp.resolve("truncated.tar");
        byte[] bytes = Files.readAllBytes(good);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertFailed(run("copy", "docker-archive:" + truncated, "oci:" + temp.resolve("t") + ":x"), "truncated");
        assertTrue(Files.notExists(temp.resolve("t")));
        assertFailed(run("copy", "-q", TestImages.multiLayer(), "docker-archive:" + good), "already exists");
    }

    private Path archive(String name, Map<String, String> entries) throws IOException {
        Path file = temp.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                byte[] content = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    private static long count(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.count();
        }
    }
}
