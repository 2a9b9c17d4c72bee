package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hoist.engine.testing.Buildah;
import hoist.engine.testing.Command;
import hoist.engine.testing.Registry;
import hoist.engine.testing.StartedRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A copy into containers-storage (vfs, in a graph root of the test's own) killed with SIGKILL at
 * random moments (a seeded random over the copy's measured length, the source registry's answers
 * slowed): after each kill buildah and skopeo still read the store, an image that was there is
 * intact, and a rerun completes with the source's digests, leaving no incomplete layer and no
 * stage behind. Now and then buildah, not hoist, is the next writer: it deletes the layers a killed
 * copy left flagged incomplete, as containers/storage does for its own.
 */
class ContainersStorageKillTest {

    private static final int KILLS = 30;
    private static final long SLOW = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @StartedRegistry
    private static Registry registry;

    @TempDir
    Path temp;

    @Test
    void copyKilledAtRandomMomentsLeavesAStoreBuildahReadsAndARerunCompletes() throws Exception {
        Cli cli = new Cli(temp.resolve("local"));
        Buildah store = new Buildah(temp.resolve("cs"), "vfs");
        String layout = LayeredLayouts.write(temp.resolve("layout"), 9, 150, 300, 450, 600);
        ok(cli.run("copy", "-q", "--dest-tls-verify=false", layout, registry.ref("faults/cs:1")));
        ok(cli.run("copy", "-q", "--dest-tls-verify=false", LayeredLayouts.write(temp.resolve("warm"), "warm", 8, 20),
                registry.ref("faults/warm:1")));
        String manifestDigest = ok(cli.run("inspect", "--format", "{{.Digest}}", layout)).out().strip();
        List<String> diffIds = new ArrayList<>();
        JSON.readTree(ok(cli.run("inspect", "--config", layout)).out()).path("rootfs").path("diff_ids")
                .forEach(d -> diffIds.add(d.asText()));
        ok(cli.run("copy", "-q", LayeredLayouts.write(temp.resolve("kept"), 10, 50), store.ref("localhost/kept:1")));
        String keptDigest = skopeoDigest(store.ref("localhost/kept:1"));

        try (ThrottlingProxy proxy = ThrottlingProxy.start(Integer.parseInt(registry.host().split(":")[1]), SLOW)) {
            String source = "docker://" + proxy.host() + "/faults/cs:1";
            String destination = store.ref("localhost/app:1");
            String[] copy = {"--root", temp.resolve("local").toString(), "copy", "-q", "--src-tls-verify=false", source, destination};
            int[] checked = {0};
            new RandomKills(temp, this::warmUp).run(copy, KILLS, 20261130L, after -> {
                String images = store.run("images", "--format", "{{.Name}}:{{.Tag}}");
                assertTrue(images.contains("localhost/kept:1"), after + ": " + images);
                assertEquals(keptDigest, skopeoDigest(store.ref("localhost/kept:1")), after);
                if (images.contains("localhost/app:1")) {
                    assertEquals(manifestDigest, skopeoDigest(destination), after + ": an image that is there is whole");
                }
                if (checked[0]++ % 10 == 5) {
                    // containers/storage as the next writer: taking the layers lock, it deletes incomplete layers
                    String container = store.run("from", "--pull-never", "localhost/kept:1");
                    store.run("rm", container);
                    assertEquals(List.of(), incompleteLayers(store), after + ": buildah deleted the incomplete layers");
                }

                proxy.rate(0);
                ok(cli.run("copy", "-q", "--src-tls-verify=false", source, destination));
                proxy.rate(SLOW);
                assertEquals(manifestDigest, skopeoDigest(destination), after);
                assertEquals(diffIds, store.diffIds("localhost/app:1"), after);
                assertEquals(List.of(), incompleteLayers(store), after + ": no incomplete layer is left");
                assertEquals(List.of(), stages(store), after + ": no stage is left");
                ok(cli.run("delete", destination));
            });
        }
    }

    /** The regression the kills found: the first copy of a layer into a store stored a manifest naming the empty blob. */
    @Test
    void aCopyIntoANewStoreKeepsTheManifestAsReceived() throws Exception {
        Cli cli = new Cli(temp.resolve("local"));
        Buildah store = new Buildah(temp.resolve("cs"), "vfs");
        String layout = LayeredLayouts.write(temp.resolve("layout"), 12, 40, 60);
        ok(cli.run("copy", "-q", layout, store.ref("localhost/app:1")));
        assertEquals(ok(cli.run("inspect", "--format", "{{.Digest}}", layout)).out().strip(),
                skopeoDigest(store.ref("localhost/app:1")));
        assertEquals(ok(cli.run("inspect", "--raw", layout)).out().strip(),
                Command.run("skopeo", "inspect", "--raw", store.ref("localhost/app:1")).strip());
    }

    /**
     * The state a copy killed inside its commit leaves, made on purpose: layers.json has the new
     * layers flagged incomplete (their directories in place or not) and images.json no image for
     * them. buildah reads the store; taking the layers lock, it deletes those layers, as it deletes
     * its own; and hoist, as the next writer, deletes them too and completes the copy.
     */
    @Test
    void layersAKilledCommitLeavesIncompleteAreDeletedByBuildahAndByTheNextCopy() throws Exception {
        Cli cli = new Cli(temp.resolve("local"));
        Buildah store = new Buildah(temp.resolve("cs"), "vfs");
        ok(cli.run("copy", "-q", LayeredLayouts.write(temp.resolve("kept"), 10, 50), store.ref("localhost/kept:1")));
        String layout = LayeredLayouts.write(temp.resolve("layout"), 13, 40, 60);
        for (String nextWriter : List.of("buildah", "hoist")) {
            ok(cli.run("copy", "-q", layout, store.ref("localhost/app:1")));
            List<String> layers = leaveAsAKilledCommit(store, store.run("images", "-q", "--no-trunc", "localhost/app:1"));
            assertEquals(2, layers.size());
            assertEquals(layers, incompleteLayers(store));
            assertTrue(store.run("images", "--format", "{{.Name}}").contains("localhost/kept"), "buildah reads the store");
            if (nextWriter.equals("buildah")) {
                store.run("rm", store.run("from", "--pull-never", "localhost/kept:1"));
            } else {
                ok(cli.run("copy", "-q", layout, store.ref("localhost/app:1")));
                assertEquals(ok(cli.run("inspect", "--format", "{{.Digest}}", layout)).out().strip(),
                        skopeoDigest(store.ref("localhost/app:1")));
                store.run("rmi", "localhost/app:1");
            }
            assertEquals(List.of(), incompleteLayers(store), nextWriter + " deleted the incomplete layers");
            for (String layer : layers) {
                assertTrue(Files.notExists(store.root().resolve("vfs/dir").resolve(layer)), nextWriter + " deleted " + layer);
            }
        }
    }

    /** Removes {@code imageId} from images.json and flags the layers only it used incomplete; returns their IDs. */
    private static List<String> leaveAsAKilledCommit(Buildah store, String imageId) throws IOException {
        Path imagesJson = store.root().resolve("vfs-images/images.json");
        com.fasterxml.jackson.databind.node.ArrayNode images = (com.fasterxml.jackson.databind.node.ArrayNode) JSON.readTree(imagesJson.toFile());
        String top = null;
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i).path("id").asText().equals(imageId.replace("sha256:", ""))) {
                top = images.get(i).path("layer").asText();
                images.remove(i);
                break;
            }
        }
        JSON.writeValue(imagesJson.toFile(), images);
        Path layersJson = store.root().resolve("vfs-layers/layers.json");
        JsonNode layers = JSON.readTree(layersJson.toFile());
        String keptTop = null;
        for (JsonNode image : images) {
            keptTop = image.path("layer").asText();
        }
        List<String> flagged = new ArrayList<>();
        for (String id = top; id != null && !id.equals(keptTop); ) {
            String current = id;
            id = null;
            for (JsonNode layer : layers) {
                if (layer.path("id").asText().equals(current)) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) layer).putObject("flags").put("incomplete", true);
                    flagged.add(0, current);
                    id = layer.path("parent").asText(null);
                }
            }
        }
        JSON.writeValue(layersJson.toFile(), layers);
        return flagged;
    }

    /** A small copy like the one to come, into a store of its own: what a process runs before it is ready. */
    private String[] warmUp(int process) {
        Path store = temp.resolve("warm-store" + process);
        return new String[] {"--root", temp.resolve("local").toString(), "copy", "-q", "--src-tls-verify=false",
                registry.ref("faults/warm:1"), "containers-storage:[vfs@" + store.resolve("root") + "+" + store.resolve("run") + "]warm"};
    }

    private static String skopeoDigest(String ref) throws IOException {
        return JSON.readTree(Command.run("skopeo", "inspect", ref)).path("Digest").asText();
    }

    /** IDs of the layers layers.json flags incomplete. */
    private static List<String> incompleteLayers(Buildah store) throws IOException {
        Path file = store.root().resolve("vfs-layers/layers.json");
        List<String> ids = new ArrayList<>();
        if (Files.exists(file)) {
            for (JsonNode layer : JSON.readTree(file.toFile())) {
                if (layer.path("flags").path("incomplete").asBoolean(false)) {
                    ids.add(layer.path("id").asText());
                }
            }
        }
        return ids;
    }

    /** What hoist stages in the driver's directory while it receives layers. */
    private static List<Path> stages(Buildah store) throws IOException {
        try (Stream<Path> entries = Files.list(store.root().resolve("vfs/dir"))) {
            return entries.filter(p -> p.getFileName().toString().startsWith(".hoist")).toList();
        }
    }
}
