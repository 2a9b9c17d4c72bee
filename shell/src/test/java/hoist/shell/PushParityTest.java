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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** push and copy choose what to send as podman and skopeo do: names, lists, platforms. */
class PushParityTest {

    @StartedRegistry
    private static Registry registry;

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
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

    private static List<String> platforms(JsonNode index) {
        List<String> platforms = new ArrayList<>();
        index.path("manifests").forEach(m -> platforms.add(m.path("platform").path("os").asText() + "/"
                + m.path("platform").path("architecture").asText()));
        return platforms;
    }

    private static String indexOf(Path layout) throws IOException {
        return Files.readString(layout.resolve("index.json"));
    }

    @Test
    void pushWithoutDestinationGoesToTheNameTyped() {
        String original = TestImages.multiLayer();
        String id = ok(hoist("pull", "-q", original)).out().strip();
        ok(hoist("tag", id.substring(0, 12), registry.host() + "/single/amd64:1"));
        Cli.Run pushed = ok(hoist("push", "-q", "--tls-verify=false", registry.host() + "/single/amd64:1"));
        assertEquals(Skopeo.rawManifest(original), skopeoRaw(registry.ref("single/amd64:1")), pushed::toString);

        ok(hoist("manifest", "create", "--all", "localhost/lst:1", TestImages.multiPlatform()));
        ok(hoist("tag", "localhost/lst:1", registry.host() + "/lists/named:2"));
        ok(hoist("manifest", "push", "-q", "--tls-verify=false", registry.host() + "/lists/named:2"));
        assertEquals(Skopeo.rawManifest(TestImages.multiPlatform()), skopeoRaw(registry.ref("lists/named:2")));
    }

    @Test
    void pushOfAStoredListSendsTheListAndSaysSo() {
        String index = TestImages.multiPlatform();
        ok(hoist("manifest", "create", "--all", "localhost/every:1", index));
        Cli.Run pushed = ok(hoist("push", "--tls-verify=false", "every:1", registry.ref("lists/every:1")));
        assertEquals(Skopeo.rawManifest(index), skopeoRaw(registry.ref("lists/every:1")));
        assertTrue(pushed.err().contains("Copying manifest list " + Skopeo.manifestDigest(index)
                + " with 2 images (linux/amd64, linux/arm64)"), pushed::toString);

        Cli.Run one = ok(hoist("push", "--tls-verify=false", "--platform", "linux/arm64", "every:1",
                registry.ref("lists/arm:1")));
        JsonNode arm = json(skopeoRaw(registry.ref("lists/arm:1")));
        assertEquals(List.of("linux/arm64"), platforms(arm), one::toString);
        assertEquals(json(Skopeo.rawManifest(index)).path("manifests").get(1), arm.path("manifests").get(0));

        Cli.Run system = ok(hoist("copy", "--tls-verify=false", index, registry.ref("lists/system:1")));
        assertTrue(system.err().contains("Copying only the linux/amd64 image"), system::toString);
    }

    @Test
    void multiArchAndOverridesChooseAsSkopeoDoes() throws IOException {
        String index = TestImages.multiPlatform();
        for (String mode : List.of("all", "index-only", "system")) {
            Path ours = temp.resolve("ours-" + mode);
            Path theirs = temp.resolve("theirs-" + mode);
            ok(hoist("copy", "-q", "--multi-arch", mode, index, "oci:" + ours + ":x"));
            Skopeo.copy("--multi-arch", mode, index, "oci:" + theirs + ":x");
            assertEquals(Skopeo.rawManifest("oci:" + theirs + ":x"), Skopeo.rawManifest("oci:" + ours + ":x"), mode);
            assertEquals(json(indexOf(theirs)).path("manifests"), json(indexOf(ours)).path("manifests"), mode);
        }
        Path ours = temp.resolve("ours-arm");
        Path theirs = temp.resolve("theirs-arm");
        ok(hoist("--override-arch", "arm64", "copy", "-q", index, "oci:" + ours + ":x"));
        Command.run(List.of("skopeo", "--insecure-policy", "--override-arch", "arm64", "copy", "-q", index,
                "oci:" + theirs + ":x"), Map.of());
        assertEquals(Skopeo.rawManifest("oci:" + theirs + ":x"), Skopeo.rawManifest("oci:" + ours + ":x"));

        String armConfig = Skopeo.manifest("oci:" + theirs + ":x").path("config").path("digest").asText();
        assertEquals(armConfig, "sha256:" + ok(hoist("pull", "-q", "--platform", "linux/arm64", index)).out().strip(),
                "pull --platform takes that platform's image, as --override-arch does");

        Path two = temp.resolve("two");
        ok(hoist("copy", "-q", "--platform", "linux/arm64", "--platform", "linux/amd64", index, "oci:" + two + ":x"));
        assertEquals(Skopeo.rawManifest(index), Skopeo.rawManifest("oci:" + two + ":x"), "both: the list as it was");
        Cli.Run missing = hoist("copy", "-q", "--platform", "linux/s390x", index, "oci:" + temp.resolve("none") + ":x");
        assertEquals(1, missing.status(), missing::toString);
        assertTrue(missing.err().contains("no image for linux/s390x (it has linux/amd64, linux/arm64)"), missing::toString);
        assertEquals(2, hoist("copy", "--all", "--platform", "linux/arm64", index, "oci:" + two + ":y").status());
    }
}
