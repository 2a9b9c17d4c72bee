package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.image.Json;
import hoist.engine.testing.Command;
import hoist.engine.testing.Registry;
import hoist.engine.testing.StartedRegistry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code delete} from a registry, an OCI layout, a dir: image and the local store, read back with skopeo. */
class DeleteTest {

    @StartedRegistry
    private static Registry registry;

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    private static boolean readable(String reference, String... flags) {
        List<String> command = new java.util.ArrayList<>(List.of("skopeo", "inspect", "--raw"));
        command.addAll(List.of(flags));
        command.add(reference);
        return Command.exec(command, Map.of()).status() == 0;
    }

    @Test
    void deletingFromARegistryRemovesTheManifestAndEveryTagOfIt() {
        Skopeo.copy("--dest-tls-verify=false", TestImages.multiLayer(), registry.ref("del/app:1"));
        Skopeo.copy("--dest-tls-verify=false", TestImages.multiLayer(), registry.ref("del/app:2"));
        Skopeo.copy("--dest-tls-verify=false", TestImages.multiPlatform(), registry.ref("del/app:other"));
        assertEquals("", ok(hoist("delete", "--tls-verify=false", registry.ref("del/app:1"))).out());
        assertFalse(readable(registry.ref("del/app:1"), "--tls-verify=false"));
        assertFalse(readable(registry.ref("del/app:2"), "--tls-verify=false"), "the same manifest by another tag");
        assertTrue(readable(registry.ref("del/app:other"), "--tls-verify=false"));
        Cli.Run again = hoist("delete", "--tls-verify=false", registry.ref("del/app:1"));
        assertEquals(1, again.status(), again::toString);
    }

    @Test
    void deletingFromALayoutLeavesTheLayoutOfTheOtherImagesAlone() throws IOException {
        // skopeo here cannot delete from oci: layouts; what must be left is the layout of b alone
        Path ours = temp.resolve("ours");
        Path onlyB = temp.resolve("only-b");
        Skopeo.copy(TestImages.multiLayer(), "oci:" + ours + ":a");
        Skopeo.copy("--all", TestImages.multiPlatform(), "oci:" + ours + ":b");
        Skopeo.copy("--all", TestImages.multiPlatform(), "oci:" + onlyB + ":b");
        Set<Path> before = files(ours);
        ok(hoist("delete", "oci:" + ours + ":a"));
        assertEquals(files(onlyB), files(ours));
        assertNotEquals(before, files(ours));
        JsonNode index = Json.read(Files.readAllBytes(ours.resolve("index.json")));
        assertEquals(Json.read(Files.readAllBytes(onlyB.resolve("index.json"))).path("manifests"), index.path("manifests"));
        assertTrue(readable("oci:" + ours + ":b") && !readable("oci:" + ours + ":a"));
        Skopeo.copy("--all", "oci:" + ours + ":b", "oci:" + temp.resolve("copy") + ":b"); // every blob b needs is there

        Cli.Run missing = hoist("delete", "oci:" + ours + ":a");
        assertEquals(1, missing.status(), missing::toString);
        assertTrue(missing.err().contains("no image named \"a\""), missing::toString);
    }

    @Test
    void deletingADirImageRemovesItsDirectoryButNotAnotherFile() throws IOException {
        Path dir = temp.resolve("dir");
        Skopeo.copy(TestImages.multiLayer(), "dir:" + dir);
        ok(hoist("delete", "dir:" + dir));
        assertFalse(Files.exists(dir));

        Skopeo.copy(TestImages.multiLayer(), "dir:" + dir);
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Cli.Run refused = hoist("delete", "dir:" + dir);
        assertEquals(1, refused.status(), refused::toString);
        assertTrue(refused.err().contains("notes.txt"), refused::toString);
        assertTrue(Files.exists(dir.resolve("manifest.json")), "nothing was deleted");
    }

    @Test
    void deletingALocalImageRemovesAllItsNamesAndATransportThatCannotSaysSo() throws IOException {
        String id = ok(hoist("pull", "-q", TestImages.multiLayer())).out().strip();
        ok(hoist("tag", id, "app:1", "app:2"));
        ok(hoist("delete", "local:app:2"));
        assertEquals(1, ok(hoist("images")).out().strip().lines().count(), "only the heading is left");
        try (Stream<Path> blobs = Files.list(temp.resolve("store/blobs/sha256"))) {
            assertEquals(0, blobs.count());
        }
        Path archive = temp.resolve("a.tar");
        Skopeo.copy(TestImages.multiLayer(), "docker-archive:" + archive);
        Cli.Run archiveDelete = hoist("delete", "docker-archive:" + archive);
        assertEquals(1, archiveDelete.status(), archiveDelete::toString);
        assertTrue(archiveDelete.err().contains("cannot delete images"), archiveDelete::toString);
    }

    private static Set<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(root::relativize).collect(Collectors.toSet());
        }
    }
}
