package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;
import hoist.engine.image.Platform;
import hoist.engine.inspect.HumanSize;
import hoist.engine.testing.Command;
import hoist.engine.testing.Registry;
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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code inspect --tree}, its lines checked against the manifests and configs skopeo reads. */
class InspectTreeTest {

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        Cli.Run run = new Cli(temp.resolve("store")).run(args);
        assertEquals(0, run.status(), run::toString);
        return run;
    }

    private static String shortDigest(String digest) {
        return digest.substring(0, "sha256:".length() + 12);
    }

    private static JsonNode json(String text) {
        try {
            return Json.read(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A blob of an OCI layout, where the layout specification puts it. */
    private static JsonNode layoutBlob(Path layout, String digest) {
        try {
            return Json.read(Files.readAllBytes(layout.resolve("blobs/sha256/" + digest.substring("sha256:".length()))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The annotation, config and layer lines an image manifest should draw, under {@code indent};
     * {@code compression} null takes it from each layer's media type.
     */
    private static List<String> imageLines(JsonNode manifest, JsonNode config, String indent, String annotationWord,
                                           String compression) {
        List<String> lines = new ArrayList<>();
        java.util.TreeMap<String, String> annotations = new java.util.TreeMap<>();
        manifest.path("annotations").fields().forEachRemaining(a -> annotations.put(a.getKey(), a.getValue().asText()));
        annotations.forEach((key, value) -> lines.add(indent + "├── " + annotationWord + " " + key + "=" + value));
        JsonNode layers = manifest.path("layers");
        JsonNode configDescriptor = manifest.path("config");
        lines.add(indent + (layers.isEmpty() ? "└── " : "├── ") + "config  " + shortDigest(configDescriptor.path("digest").asText())
                + "  " + HumanSize.of(configDescriptor.path("size").asLong())
                + "  " + config.path("os").asText() + "/" + config.path("architecture").asText()
                + "  (created " + config.path("created").asText() + ")");
        for (int i = 0; i < layers.size(); i++) {
            JsonNode layer = layers.get(i);
            String type = layer.path("mediaType").asText();
            lines.add(indent + (i == layers.size() - 1 ? "└── " : "├── ") + "layer " + (i + 1) + "  "
                    + shortDigest(layer.path("digest").asText()) + "  " + HumanSize.of(layer.path("size").asLong()) + "  "
                    + (compression != null ? compression : type.endsWith("gzip") ? "gzip" : type.endsWith("zstd") ? "zstd" : "none"));
        }
        return lines;
    }

    @Test
    void treeOfAnIndexShowsEveryPlatformWithItsConfigAndLayers() {
        String list = TestImages.multiPlatform();
        Path layout = Path.of(list.substring("oci:".length(), list.lastIndexOf(':')));
        String raw = Skopeo.rawManifest(list);
        JsonNode index = json(raw);
        JsonNode entries = index.path("manifests");

        List<String> expected = new ArrayList<>();
        expected.add(list + "  " + shortDigest(Skopeo.manifestDigest(list).toString()) + "  OCI index, " + entries.size() + " manifests");
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            boolean last = i == entries.size() - 1;
            JsonNode platform = entry.path("platform");
            expected.add((last ? "└── " : "├── ") + platform.path("os").asText() + "/" + platform.path("architecture").asText()
                    + "  " + shortDigest(entry.path("digest").asText()) + "  OCI manifest  " + HumanSize.of(entry.path("size").asLong()));
            JsonNode manifest = layoutBlob(layout, entry.path("digest").asText());
            expected.addAll(imageLines(manifest, layoutBlob(layout, manifest.path("config").path("digest").asText()),
                    last ? "    " : "│   ", "manifest annotation", null));
        }
        String tree = hoist("inspect", "--tree", list).out();
        assertEquals(String.join("\n", expected) + "\n", tree);
        assertTrue(tree.contains("├── linux/amd64") && tree.contains("└── linux/arm64"), tree);
    }

    @Test
    void wholeDigestsWithNoTrunc() {
        String list = TestImages.multiPlatform();
        String tree = hoist("inspect", "--tree", "--no-trunc", list).out();
        for (JsonNode entry : Skopeo.manifest(list).path("manifests")) {
            assertTrue(tree.contains("  " + entry.path("digest").asText() + "  OCI manifest"), tree);
        }
    }

    @Test
    void treeOfASingleImageFromADockerArchive() {
        String archive = TestImages.as(TestImages.multiLayer(), "docker-archive", temp.resolve("multi.tar"));
        JsonNode manifest = json(Skopeo.rawManifest(archive));
        JsonNode config = Skopeo.config(archive);
        // An archive stores no manifest of its own: the one hoist makes names the layers as the
        // uncompressed tars they are, where skopeo's calls them gzip; the layers themselves agree.
        String made = hoist("inspect", "--raw", archive).out(); // as made: no line break after it

        List<String> expected = new ArrayList<>();
        expected.add(archive + "  " + shortDigest(Digest.sha256(made).toString()) + "  Docker manifest  "
                + HumanSize.of(made.getBytes(StandardCharsets.UTF_8).length));
        expected.addAll(imageLines(manifest, config, "", "annotation", "none"));
        assertEquals(String.join("\n", expected) + "\n", hoist("inspect", "--tree", archive).out());
    }

    @Test
    void treeOfAnImageInARegistry() {
        try (Registry registry = Registry.start()) {
            String target = registry.ref("tree/multi:1");
            Command.run(List.of("skopeo", "--insecure-policy", "copy", "-q", "--dest-tls-verify=false",
                    TestImages.multiLayer(), target), Map.of());
            String raw = Command.run(List.of("skopeo", "inspect", "--tls-verify=false", "--raw", target), Map.of());
            JsonNode config = json(Command.run(List.of("skopeo", "inspect", "--tls-verify=false", "--config", "--raw", target), Map.of()));

            List<String> expected = new ArrayList<>();
            expected.add(target + "  " + shortDigest(Digest.sha256(raw).toString()) + "  OCI manifest  "
                    + HumanSize.of(raw.getBytes(StandardCharsets.UTF_8).length));
            expected.addAll(imageLines(json(raw), config, "", "annotation", null));
            assertEquals(String.join("\n", expected) + "\n", hoist("inspect", "--tree", "--tls-verify=false", target).out());
        }
    }

    /** The lines under the root line: annotations, config and layers. */
    private static String linesUnderRoot(String tree) {
        return tree.substring(tree.indexOf('\n') + 1);
    }

    @Test
    void treeReadsEveryLocalTransportAndTheStore() {
        String original = TestImages.multiLayer();
        JsonNode manifest = Skopeo.manifest(original);
        String expected = String.join("\n", imageLines(manifest, Skopeo.config(original), "", "annotation", null)) + "\n";
        List<String> references = new ArrayList<>(List.of(
                TestImages.as(original, "dir", temp.resolve("dir")),
                TestImages.as(original, "oci-archive", temp.resolve("multi.tar")),
                original));
        references.add(hoist("pull", "-q", original).out().strip());
        for (String reference : references) {
            String tree = hoist("inspect", "--tree", reference).out();
            assertEquals(expected, linesUnderRoot(tree), reference);
            assertTrue(tree.startsWith(shortDigest(Skopeo.manifestDigest(original).toString()), tree.indexOf("  ") + 2), tree);
        }
    }

    /**
     * An image whose manifest buildah annotates, in a list whose entry it annotates too; the tree
     * shows the entry's annotation on the platform and the manifest's under it.
     */
    @Test
    void annotationsOfListEntriesAndManifestsAppear() throws IOException {
        Path storage = temp.resolve("buildah");
        List<String> buildah = List.of("buildah", "--root", storage.resolve("root").toString(),
                "--runroot", storage.resolve("run").toString(), "--storage-driver", "vfs");
        Map<String, String> env = Map.of("BUILDAH_ISOLATION", "chroot");
        Path file = temp.resolve("note.txt");
        Files.writeString(file, "annotated\n");
        String ctr = Command.run(concat(buildah, "from", "scratch"), env).strip();
        Command.run(concat(buildah, "copy", ctr, file.toString(), "/note.txt"), env);
        Command.run(concat(buildah, "config", "--annotation", "org.example.note=from the manifest", ctr), env);
        Command.run(concat(buildah, "commit", "-q", ctr, "annotated"), env);
        Command.run(concat(buildah, "manifest", "create", "localhost/annotated-list"), env);
        String storageRef = "containers-storage:[vfs@" + storage.resolve("root") + "+" + storage.resolve("run") + "]localhost/annotated";
        Command.run(concat(buildah, "manifest", "add", "--annotation", "org.example.entry=first", "localhost/annotated-list", storageRef), env);
        String list = "oci:" + temp.resolve("layout") + ":list";
        Command.run(concat(buildah, "manifest", "push", "-q", "--all", "localhost/annotated-list", list), env);

        String tree = hoist("inspect", "--tree", list).out();
        List<String> lines = tree.lines().toList();
        assertTrue(lines.get(1).startsWith("└── linux/"), tree);
        assertEquals("    ├── annotation org.example.entry=first", lines.get(2), tree);
        assertEquals("    ├── manifest annotation org.example.note=from the manifest", lines.get(3), tree);
        assertTrue(lines.get(lines.size() - 2).startsWith("    ├── config  sha256:"), tree);
        assertTrue(lines.get(lines.size() - 1).startsWith("    └── layer 1  sha256:"), tree);
    }

    /**
     * A list whose location lacks one of its images (as a list copied without all of them): the
     * tree names that entry and why, and still draws the others; inspecting the present one works.
     */
    @Test
    void anInstanceMissingFromTheLocationIsNamedNotFatal() throws IOException {
        String list = TestImages.multiPlatform();
        Path original = Path.of(list.substring("oci:".length(), list.lastIndexOf(':')));
        Path layout = temp.resolve("sparse");
        try (var files = Files.walk(original)) {
            for (Path from : files.toList()) {
                Files.copy(from, layout.resolve(original.relativize(from).toString()));
            }
        }
        String current = Platform.current().architecture();
        JsonNode gone = null;
        for (JsonNode entry : Skopeo.manifest(list).path("manifests")) {
            if (!entry.path("platform").path("architecture").asText().equals(current)) {
                gone = entry;
            }
        }
        String goneDigest = gone.path("digest").asText();
        Files.delete(layout.resolve("blobs/sha256/" + goneDigest.substring("sha256:".length())));
        String sparse = "oci:" + layout + ":list";

        String tree = hoist("inspect", "--tree", sparse).out();
        String goneLine = tree.lines().filter(l -> l.contains(shortDigest(goneDigest))).findFirst().orElseThrow();
        assertTrue(goneLine.contains("not available: ") && goneLine.contains("missing from the layout"), tree);
        assertTrue(tree.contains("linux/" + current + "  "), tree);
        assertEquals(1, tree.lines().filter(l -> l.contains("layer 1  ")).count(), "only the present image has layers: " + tree);
        JsonNode summary = json(hoist("inspect", sparse).out());
        assertEquals(current, summary.path("Architecture").asText());
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    @Test
    void treeCannotBeCombinedWithRaw() {
        Cli.Run run = new Cli(temp.resolve("store")).run("inspect", "--tree", "--raw", TestImages.multiLayer());
        assertEquals(2, run.status(), run::toString);
        assertEquals("Error: --tree cannot be combined with --raw or --config\n", run.err());
    }
}
