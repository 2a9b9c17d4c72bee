package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.image.Digest;
import hoist.engine.testing.Command;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ostree:} images written into repositories that {@code ostree init} made, inspected with
 * {@code ostree refs}, {@code ostree ls} and {@code ostree show}, and read back by hoist.
 */
class OstreeTransportTest {

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    private Path repo(String name) {
        Path repo = temp.resolve(name);
        Command.run("ostree", "init", "--repo=" + repo, "--mode=bare");
        return repo;
    }

    private static String ostree(Path repo, String... args) {
        List<String> command = new ArrayList<>(List.of("ostree", args[0], "--repo=" + repo));
        command.addAll(List.of(args).subList(1, args.length));
        return Command.run(command, java.util.Map.of());
    }

    private static List<String> diffIds(String reference) {
        List<String> ids = new ArrayList<>();
        Skopeo.config(reference).path("rootfs").path("diff_ids").forEach(d -> ids.add(d.asText()));
        return ids;
    }

    /** The paths {@code ostree ls -R} lists in a commit, relative, without the root. */
    private static Set<String> ostreeFiles(Path repo, String ref) {
        return ostree(repo, "ls", "-R", ref).lines().map(l -> l.strip().split("\\s+", 5)[4])
                .map(p -> p.replaceFirst(" -> .*", "")).filter(p -> !p.equals("/"))
                .map(p -> p.substring(1)).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The paths in a layer of an OCI layout, relative, without {@code ./} and trailing slashes. */
    private static Set<String> layerFiles(String layout, String digest) {
        Path dir = Path.of(layout.substring("oci:".length(), layout.lastIndexOf(':')));
        Path blob = dir.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
        return Command.run("tar", "-tf", blob.toString()).lines()
                .map(n -> n.startsWith("./") ? n.substring(2) : n)
                .map(n -> n.endsWith("/") ? n.substring(0, n.length() - 1) : n)
                .filter(n -> !n.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String metadata(Path repo, String ref, String key) {
        String printed = ostree(repo, "show", "--print-metadata-key=" + key, ref).strip();
        return printed.substring(1, printed.length() - 1);
    }

    @Test
    void layersConfigAndManifestAreCommittedUnderContainersImageRefs() {
        String original = TestImages.multiLayer();
        Path repo = repo("repo");
        ok(hoist("copy", "-q", original, "ostree:example.com/team_a/app:1@" + repo));

        Set<String> refs = new TreeSet<>(ostree(repo, "refs").lines().toList());
        JsonNode manifest = Skopeo.manifest(original);
        Set<String> expected = new TreeSet<>();
        expected.add("ociimage/example.com_2Fteam_5Fa_2Fapp_3A1");
        expected.add("ociimage/" + manifest.path("config").path("digest").asText().substring(7));
        manifest.path("layers").forEach(l -> expected.add("ociimage/" + l.path("digest").asText().substring(7)));
        assertEquals(expected, refs);

        List<String> diffIds = diffIds(original);
        for (int i = 0; i < manifest.path("layers").size(); i++) {
            String digest = manifest.path("layers").get(i).path("digest").asText();
            String ref = "ociimage/" + digest.substring(7);
            assertEquals(layerFiles(original, digest), ostreeFiles(repo, ref), "the layer's files in " + ref);
            assertEquals(diffIds.get(i), metadata(repo, ref, "docker.uncompressed_digest"));
            assertEquals(manifest.path("layers").get(i).path("size").asText(), metadata(repo, ref, "docker.size"));
        }
        String imageRef = "ociimage/example.com_2Fteam_5Fa_2Fapp_3A1";
        assertEquals(Set.of("manifest.json"), ostreeFiles(repo, imageRef));
        assertEquals(Skopeo.rawManifest(original), ostree(repo, "cat", imageRef, "/manifest.json"));
        assertEquals(Skopeo.manifestDigest(original).toString(), metadata(repo, imageRef, "docker.digest"));
        assertEquals("0", metadata(repo, imageRef, "signatures"));
        String config = "ociimage/" + manifest.path("config").path("digest").asText().substring(7);
        assertEquals(Set.of("content"), ostreeFiles(repo, config));
    }

    @Test
    void whatHoistWroteReadsBackWithTheSameDiffIds() {
        String original = TestImages.multiLayer();
        Path repo = repo("repo");
        ok(hoist("copy", "-q", original, "ostree:app@" + repo));
        assertTrue(ostree(repo, "refs").lines().anyMatch("ociimage/app_3Alatest"::equals), "a bare name is :latest");

        String back = "oci:" + temp.resolve("back") + ":app";
        ok(hoist("copy", "-q", "ostree:app:latest@" + repo, back));
        assertEquals(diffIds(original), diffIds(back));
        assertEquals(Skopeo.layers(original).size(), Skopeo.layers(back).size());
        Cli.Run inspect = ok(hoist("inspect", "ostree:app@" + repo));
        assertTrue(inspect.out().contains(diffIds(original).get(0)), inspect::toString);
    }

    @Test
    void anImageOfUncompressedLayersReadsBackWithItsOwnManifest() throws IOException {
        String source = OciLayouts.write(temp.resolve("plain"), "none", 7);
        Path repo = repo("repo");
        ok(hoist("copy", "-q", source, "ostree:plain:1@" + repo));
        String back = "dir:" + temp.resolve("back");
        ok(hoist("copy", "-q", "ostree:plain:1@" + repo, back));
        assertEquals(Skopeo.manifestDigest(source), Skopeo.manifestDigest(back), "nothing to rewrite: the same manifest");
        assertEquals(List.of(OciLayouts.diffId(7).toString()), diffIds(back));
    }

    @Test
    void aLayerWithManyFilesDevicesAndLinksReadsBackByteForByte() throws IOException {
        Path layout = temp.resolve("many");
        byte[] tar = manyFilesTar(600);
        String source = layout(layout, tar);
        Path repo = repo("repo");
        ok(hoist("copy", "-q", source, "ostree:many:1@" + repo));
        String hex = Digest.sha256(gzip(tar)).hex();
        Set<String> files = ostreeFiles(repo, "ociimage/" + hex);
        assertTrue(files.contains(fileName(599)) && files.contains("link") && files.contains("hard"),
                "the layer's files, " + files.size() + " of them");
        assertFalse(files.contains("fifo") || files.contains("null"), "OSTree holds no devices or FIFOs: " + files);
        assertTrue(ostree(repo, "refs").lines().anyMatch(("ociimage/tarsplit/" + hex)::equals),
                "a tar-split too large for a command line has a ref of its own");

        String back = "oci:" + temp.resolve("back") + ":many";
        ok(hoist("copy", "-q", "--dest-compress-format", "gzip", "ostree:many:1@" + repo, back));
        assertEquals(List.of(Digest.sha256(tar).toString()), diffIds(back), "the very tar, devices and all");
        Set<String> names = layerFiles(back, Skopeo.manifest(back).path("layers").get(0).path("digest").asText());
        assertTrue(names.contains("fifo") && names.contains("null"), names::toString);
    }

    @Test
    void aPathThatIsNotARepositoryIsOneErrorLine() throws IOException {
        Path notRepo = temp.resolve("plain-dir");
        Files.createDirectories(notRepo);
        for (List<String> args : List.of(List.of("copy", "-q", TestImages.multiLayer(), "ostree:app:1@" + notRepo),
                List.of("copy", "-q", "ostree:app:1@" + notRepo, "oci:" + temp.resolve("never") + ":x"))) {
            Cli.Run run = hoist(args.toArray(String[]::new));
            assertEquals(1, run.status(), run::toString);
            assertTrue(run.err().startsWith("Error: "), run::toString);
            assertEquals(1, run.err().strip().lines().count(), run::toString);
            assertTrue(run.err().contains("is not an OSTree repository"), run::toString);
        }
        try (var entries = Files.list(notRepo)) {
            assertEquals(0, entries.count(), "nothing written there");
        }
        assertFalse(Files.exists(temp.resolve("never")));
    }

    @Test
    void aCopyThatFailsLeavesNoRefInTheRepository() throws IOException {
        Path layout = temp.resolve("corrupt");
        byte[] tar = manyFilesTar(3);
        String source = layout(layout, tar);
        byte[] layer = gzip(tar);
        Path blob = layout.resolve("blobs/sha256").resolve(Digest.sha256(layer).hex());
        layer[layer.length / 2] ^= 0x55;
        Files.write(blob, layer);
        Path repo = repo("repo");
        Cli.Run run = hoist("copy", "-q", source, "ostree:app:1@" + repo);
        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().startsWith("Error: "), run::toString);
        assertEquals("", ostree(repo, "refs").strip(), "no ref written");
    }

    @Test
    void anImageNotInTheRepositoryIsOneErrorLine() {
        Path repo = repo("repo");
        Cli.Run run = hoist("copy", "ostree:missing:1@" + repo, "oci:" + temp.resolve("never") + ":x");
        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().startsWith("Error: ") && run.err().contains("no image missing:1"), run::toString);
    }

    /** A gzip layer of {@code count} small files plus a FIFO, a character device, a symlink and a hard link. */
    private static byte[] manyFilesTar(int count) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry dir = new TarArchiveEntry("dir/");
            dir.setModTime(1_700_000_000_000L);
            out.putArchiveEntry(dir);
            out.closeArchiveEntry();
            for (int i = 0; i < count; i++) {
                byte[] content = ("file " + i + "\n").getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry file = new TarArchiveEntry(fileName(i));
                file.setSize(content.length);
                file.setModTime(1_700_000_000_000L);
                file.setIds(i % 7, i % 5);
                out.putArchiveEntry(file);
                out.write(content);
                out.closeArchiveEntry();
            }
            TarArchiveEntry fifo = new TarArchiveEntry("fifo", TarConstants.LF_FIFO);
            out.putArchiveEntry(fifo);
            out.closeArchiveEntry();
            TarArchiveEntry dev = new TarArchiveEntry("null", TarConstants.LF_CHR);
            dev.setDevMajor(1);
            dev.setDevMinor(3);
            out.putArchiveEntry(dev);
            out.closeArchiveEntry();
            TarArchiveEntry link = new TarArchiveEntry("link", TarConstants.LF_SYMLINK);
            link.setLinkName(fileName(1));
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
            TarArchiveEntry hard = new TarArchiveEntry("hard", TarConstants.LF_LINK);
            hard.setLinkName(fileName(2));
            out.putArchiveEntry(hard);
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    /** Names that compress badly, so that the layer's tar-split is large. */
    private static String fileName(int i) {
        return "dir/" + Digest.sha256("file " + i).hex() + Digest.sha256("name " + i).hex() + Digest.sha256("more " + i).hex();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /** An OCI layout of one image with the gzip of {@code tar} as its layer; returns {@code oci:DIR:t}. */
    private static String layout(Path dir, byte[] tar) throws IOException {
        byte[] layer = gzip(tar);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + Digest.sha256(tar) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + blob(dir, config)
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + blob(dir, layer) + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + blob(dir, manifest) + "\",\"size\":"
                + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"t\"}}]}");
        return "oci:" + dir + ":t";
    }

    private static Digest blob(Path dir, byte[] bytes) throws IOException {
        Digest digest = Digest.sha256(bytes);
        Files.write(dir.resolve("blobs/sha256").resolve(digest.hex()), bytes);
        return digest;
    }
}
