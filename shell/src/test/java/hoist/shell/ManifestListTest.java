package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.image.Json;
import hoist.engine.image.MediaTypes;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Manifest lists built in the local store, pushed to a real registry and read back by skopeo. */
class ManifestListTest {

    @StartedRegistry
    private static Registry registry;

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    private static void failsWithOneLine(Cli.Run run, String expected) {
        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().startsWith("Error: ") && run.err().strip().lines().count() == 1, run::toString);
        assertTrue(run.err().contains(expected), run::toString);
    }

    private static String skopeoRaw(String ref) {
        return Command.run(List.of("skopeo", "inspect", "--tls-verify=false", "--raw", ref), Map.of());
    }

    private static JsonNode json(String text) {
        try {
            return Json.read(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The arm64 image of the test index, alone in a layout of its own (made by skopeo). */
    private String arm64Image() {
        String target = "oci:" + temp.resolve("arm") + ":arm";
        Skopeo.copy("--override-arch", "arm64", TestImages.multiPlatform(), target);
        return target;
    }

    /** Every file of the store with its size, and images.json: what "nothing changed" compares. */
    private Map<String, Long> storeSnapshot() throws IOException {
        Path root = temp.resolve("store");
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).filter(f -> !root.relativize(f).startsWith("tmp")).toList()) {
                files.put(root.relativize(file).toString(), Files.size(file));
            }
        }
        files.put("images.json#hash", (long) Files.readString(root.resolve("images.json")).hashCode());
        return files;
    }

    private JsonNode inspectList(String list) {
        return json(ok(hoist("manifest", "inspect", list)).out());
    }

    private static String platformOf(JsonNode entry) {
        return entry.path("platform").path("os").asText() + "/" + entry.path("platform").path("architecture").asText();
    }

    @Test
    void aTwoPlatformListIsBuiltAnnotatedAndPushedWithEveryImage() {
        String amd = TestImages.multiLayer();
        String arm = arm64Image();
        String firstArch = Skopeo.config(amd).path("architecture").asText();

        String created = ok(hoist("manifest", "create", "--annotation", "org.example.kind=test", "app:1", amd)).out().strip();
        assertTrue(created.matches("[0-9a-f]{64}"), created);
        String added = ok(hoist("manifest", "add", "--annotation", "org.example.role=arm", "app:1", arm)).out().strip();
        JsonNode local = inspectList("app:1");
        assertEquals(MediaTypes.OCI_INDEX, local.path("mediaType").asText());
        assertEquals(2, local.path("manifests").size());
        assertTrue(ok(hoist("images", "--no-trunc")).out().contains(added), "the list's new ID is listed");
        String armDigest = local.path("manifests").get(1).path("digest").asText();
        assertEquals(Skopeo.manifestDigest(arm).toString(), armDigest);
        assertEquals("linux/arm64", platformOf(local.path("manifests").get(1)));
        assertEquals("linux/" + firstArch, platformOf(local.path("manifests").get(0)));

        ok(hoist("manifest", "annotate", "--annotation", "org.example.note=hello", "--os-version", "1.0", "app:1", armDigest));
        ok(hoist("manifest", "annotate", "--index", "--annotation", "org.example.list=yes", "app:1"));

        String target = registry.ref("lists/app:1");
        ok(hoist("manifest", "push", "-q", "--tls-verify=false", "app:1", target));
        JsonNode pushed = json(skopeoRaw(target));
        assertEquals(MediaTypes.OCI_INDEX, pushed.path("mediaType").asText());
        assertEquals("yes", pushed.path("annotations").path("org.example.list").asText());
        assertEquals("test", pushed.path("annotations").path("org.example.kind").asText());
        JsonNode armEntry = pushed.path("manifests").get(1);
        assertEquals(armDigest, armEntry.path("digest").asText());
        assertEquals("hello", armEntry.path("annotations").path("org.example.note").asText());
        assertEquals("arm", armEntry.path("annotations").path("org.example.role").asText());
        assertEquals("1.0", armEntry.path("platform").path("os.version").asText());
        assertEquals(Set.of("linux/" + firstArch, "linux/arm64"),
                Set.of(platformOf(pushed.path("manifests").get(0)), platformOf(armEntry)));

        String repo = "docker://" + registry.host() + "/lists/app";
        List<String> originals = List.of(amd, arm);
        for (int i = 0; i < 2; i++) {
            String instance = repo + "@" + pushed.path("manifests").get(i).path("digest").asText();
            String back = "oci:" + temp.resolve("back" + i) + ":x";
            Command.run(List.of("skopeo", "--insecure-policy", "copy", "-q", "--src-tls-verify=false", instance, back), Map.of());
            assertEquals(Skopeo.layers(originals.get(i)), Skopeo.layers(back));
        }

        String listDigest = "sha256:" + sha256(skopeoRaw(target));
        Path digestFile = temp.resolve("digest");
        String again = registry.ref("lists/again:1");
        ok(hoist("manifest", "push", "-q", "--all", "--tls-verify=false", "--digestfile", digestFile.toString(), "app:1", again));
        assertEquals(skopeoRaw(target), skopeoRaw(again));
        assertEquals(listDigest, read(digestFile));
        assertEquals(0, hoist("manifest", "exists", "app:1").status());

        ok(hoist("manifest", "push", "-q", "--rm", "--tls-verify=false", "app:1", registry.ref("lists/third:1")));
        assertEquals(skopeoRaw(target), skopeoRaw(registry.ref("lists/third:1")));
        assertEquals(1, hoist("manifest", "exists", "app:1").status());
        assertEquals("", ok(hoist("check")).err().strip());
    }

    @Test
    void pushWithoutAllSendsOnlyThisPlatformsImage() {
        String amd = TestImages.multiLayer();
        ok(hoist("manifest", "create", "solo", amd, arm64Image()));
        String target = registry.ref("lists/solo:1");
        ok(hoist("manifest", "push", "-q", "--all=false", "--tls-verify=false", "solo", target));
        assertEquals(Skopeo.rawManifest(amd), skopeoRaw(target));
    }

    @Test
    void addAllTakesEveryImageOfAListAndInspectReadsARegistryList() {
        String index = TestImages.multiPlatform();
        ok(hoist("manifest", "create", "every"));
        ok(hoist("manifest", "add", "--all", "every", index));
        JsonNode local = inspectList("every");
        assertEquals(Skopeo.manifest(index).path("manifests"), local.path("manifests"));

        String target = registry.ref("lists/every:1");
        ok(hoist("manifest", "push", "-q", "--tls-verify=false", "every", target));
        JsonNode remote = json(ok(hoist("manifest", "inspect", "--tls-verify=false", target)).out());
        assertEquals(local, remote);
        String byName = registry.host() + "/lists/every:1";
        assertEquals(local, json(ok(hoist("manifest", "inspect", "--tls-verify=false", byName)).out()));
    }

    @Test
    void aListOfLocalImagesIsRemovedWithoutItsImages() {
        String id = ok(hoist("pull", "-q", TestImages.multiLayer())).out().strip();
        ok(hoist("manifest", "create", "mine", id));
        assertEquals(1, inspectList("mine").path("manifests").size());
        failsWithOneLine(hoist("manifest", "create", "mine"), "already exists");
        ok(hoist("manifest", "create", "--amend", "--annotation", "a=b", "mine"));
        assertEquals("b", inspectList("mine").path("annotations").path("a").asText());

        String removed = ok(hoist("manifest", "rm", "mine")).out();
        assertTrue(removed.contains("Untagged: localhost/mine:latest"), removed);
        assertEquals(1, hoist("manifest", "exists", "mine").status());
        assertTrue(ok(hoist("images", "--no-trunc")).out().contains(id.substring(0, 12)));
        assertEquals("", ok(hoist("check")).err().strip());
    }

    @Test
    void failedListChangesSayWhyAndChangeNothing() throws IOException {
        String id = ok(hoist("pull", "-q", TestImages.multiLayer())).out().strip();
        ok(hoist("manifest", "create", "real", id));
        Map<String, Long> before = storeSnapshot();

        failsWithOneLine(hoist("manifest", "add", "nosuch", arm64Image()), "nosuch: no manifest list");
        failsWithOneLine(hoist("manifest", "annotate", "--annotation", "k=v", "real", "sha256:" + "0".repeat(64)),
                "real has no entry sha256:" + "0".repeat(64));
        failsWithOneLine(hoist("manifest", "rm", id), "is not a manifest list");
        failsWithOneLine(hoist("manifest", "add", "real", "oci:" + temp.resolve("missing") + ":x"), "missing");

        assertEquals(before, storeSnapshot());
        assertEquals(List.of(), leftInStaging());
    }

    @Test
    void concurrentAddsToOneListAreAllKept() throws Exception {
        String amd = TestImages.multiLayer();
        String arm = arm64Image();
        ok(hoist("manifest", "create", "shared"));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> hoist("manifest", "add", "shared", amd));
            var second = pool.submit(() -> hoist("manifest", "add", "shared", arm));
            ok(first.get());
            ok(second.get());
        } finally {
            pool.shutdownNow();
        }
        JsonNode list = inspectList("shared");
        assertEquals(Set.of(Skopeo.manifestDigest(amd).toString(), Skopeo.manifestDigest(arm).toString()),
                Set.of(list.path("manifests").get(0).path("digest").asText(),
                        list.path("manifests").get(1).path("digest").asText()));
        assertEquals(1, ok(hoist("images", "-q")).out().strip().lines().count(), "one list, no leftover versions");
    }

    @Test
    void aListPushedAsV2s2IsADockerManifestList() {
        ok(hoist("manifest", "create", "--all", "docker", TestImages.multiPlatform()));
        String target = registry.ref("lists/docker:1");
        ok(hoist("manifest", "push", "-q", "--format", "v2s2", "--tls-verify=false", "docker", target));
        JsonNode pushed = json(skopeoRaw(target));
        assertEquals(MediaTypes.DOCKER_LIST, pushed.path("mediaType").asText());
        assertEquals(2, pushed.path("manifests").size());
        for (JsonNode entry : pushed.path("manifests")) {
            assertEquals(MediaTypes.DOCKER_MANIFEST, entry.path("mediaType").asText());
        }
    }

    @Test
    void usageErrorsExitWithTwo() {
        ok(hoist("manifest", "create", "u"));
        assertEquals(2, hoist("manifest").status());
        assertEquals(2, hoist("manifest", "annotate", "--features", "sse4", "u", "sha256:" + "0".repeat(64)).status());
        assertEquals(2, hoist("manifest", "annotate", "u", "not-a-digest").status());
        assertEquals(2, hoist("manifest", "create", "--annotation", "novalue", "v").status());
        assertEquals(1, hoist("manifest", "exists", "v").status());
    }

    private List<Path> leftInStaging() throws IOException {
        try (Stream<Path> files = Files.list(temp.resolve("store").resolve("tmp"))) {
            return new ArrayList<>(files.toList());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        return hoist.engine.image.Digest.sha256(text.getBytes(StandardCharsets.UTF_8)).hex();
    }
}
