package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.image.Json;
import hoist.engine.testing.Command;
import hoist.engine.testing.Registry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** skopeo copy's flags, each checked against skopeo doing the same copy; progress for CI and people. */
class SkopeoFlagsTest {

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    private static String skopeo(String... args) {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        command.addAll(List.of(args));
        return Command.run(command, Map.of());
    }

    private static List<String> layerTypes(String raw) throws IOException {
        List<String> types = new ArrayList<>();
        Json.read(raw.getBytes(StandardCharsets.UTF_8)).path("layers").forEach(l -> types.add(l.path("mediaType").asText()));
        return types;
    }

    @Test
    void sourceAndDestinationRegistryFlagsAreSeparateAsInSkopeo() throws IOException {
        try (Registry source = Registry.startWithPassword("ci", "src-pass"); Registry dest = Registry.startWithTls()) {
            Path certs = Files.createDirectories(temp.resolve("certs"));
            Files.copy(dest.caCertificate(), certs.resolve("ca.crt"));
            Path srcAuth = temp.resolve("src-auth.json");
            Files.writeString(temp.resolve("none.json"), "{}"); // an auth file with no credentials: a named one must exist
            skopeo("login", "--tls-verify=false", "--authfile", srcAuth.toString(), "-u", "ci", "-p", "src-pass", source.host());
            skopeo("copy", "-q", "--dest-tls-verify=false", "--dest-creds", "ci:src-pass", TestImages.multiLayer(),
                    source.ref("app:1"));

            ok(hoist("copy", "-q", "--src-tls-verify=false", "--src-creds", "ci:src-pass", "--dest-cert-dir",
                    certs.toString(), source.ref("app:1"), dest.ref("ours/app:1")));
            ok(hoist("copy", "-q", "--src-tls-verify=false", "--src-authfile", srcAuth.toString(), "--dest-cert-dir",
                    certs.toString(), "--dest-tls-verify", "--dest-authfile", temp.resolve("none.json").toString(),
                    "--retry-times", "1", source.ref("app:1"), dest.ref("ours/app:2")));
            skopeo("copy", "-q", "--src-tls-verify=false", "--src-authfile", srcAuth.toString(), "--dest-cert-dir",
                    certs.toString(), source.ref("app:1"), dest.ref("theirs/app:1"));
            String theirs = skopeo("inspect", "--raw", "--cert-dir", certs.toString(), dest.ref("theirs/app:1"));
            assertEquals(theirs, skopeo("inspect", "--raw", "--cert-dir", certs.toString(), dest.ref("ours/app:1")));
            assertEquals(theirs, skopeo("inspect", "--raw", "--cert-dir", certs.toString(), dest.ref("ours/app:2")));

            Cli.Run sideMatters = hoist("copy", "-q", "--retry-times", "0", "--dest-tls-verify=false", "--src-creds",
                    "ci:src-pass", source.ref("app:1"), "oci:" + temp.resolve("x") + ":x");
            assertEquals(1, sideMatters.status(), "TLS is verified at the source unless --src-tls-verify=false: " + sideMatters);
        }
    }

    @Test
    void allAndCompressionAliasesCopyAsSkopeoCopies() throws IOException {
        String index = TestImages.multiPlatform();
        ok(hoist("copy", "-q", "-a", index, "oci:" + temp.resolve("ours") + ":x"));
        skopeo("copy", "-q", "-a", index, "oci:" + temp.resolve("theirs") + ":x");
        assertEquals(Skopeo.rawManifest("oci:" + temp.resolve("theirs") + ":x"),
                Skopeo.rawManifest("oci:" + temp.resolve("ours") + ":x"));

        String image = TestImages.multiLayer();
        ok(hoist("copy", "-q", "--dest-compress-format", "zstd", "--dest-compress-level", "3", image,
                "oci:" + temp.resolve("zstd-ours") + ":x"));
        skopeo("copy", "-q", "--dest-compress-format", "zstd", "--dest-compress-level", "3", image,
                "oci:" + temp.resolve("zstd-theirs") + ":x");
        List<String> theirs = layerTypes(Skopeo.rawManifest("oci:" + temp.resolve("zstd-theirs") + ":x"));
        assertTrue(theirs.stream().anyMatch(t -> t.endsWith("+zstd")), theirs::toString);
        assertEquals(theirs, layerTypes(Skopeo.rawManifest("oci:" + temp.resolve("zstd-ours") + ":x")));
    }

    @Test
    void jsonProgressIsOneEventPerLineEachNamingItsDestination() throws IOException {
        String first = "oci:" + temp.resolve("one") + ":x";
        String second = "dir:" + temp.resolve("two");
        Cli.Run run = ok(hoist("copy", "--progress=json", TestImages.multiLayer(), first, second));
        List<String> lines = run.err().strip().lines().toList();
        assertTrue(lines.size() > 5, run::toString);
        Set<String> events = new java.util.HashSet<>();
        List<String> copied = new ArrayList<>();
        for (String line : lines) {
            JsonNode event = Json.read(line.getBytes(StandardCharsets.UTF_8));
            events.add(event.path("event").asText());
            boolean one = Set.of(first, second).contains(event.path("destination").asText());
            boolean all = event.path("destinations").size() == 2
                    && event.path("destinations").get(0).asText().equals(first)
                    && event.path("destinations").get(1).asText().equals(second);
            assertTrue(one || all, "names its destination: " + line);
            if (event.path("event").asText().equals("copied")) {
                copied.add(event.path("destination").asText());
                assertEquals(Skopeo.manifestDigest(first).toString(), event.path("digest").asText());
            }
        }
        assertTrue(events.containsAll(Set.of("blob-started", "blob-done", "writing-manifest", "copied")), events::toString);
        assertEquals(List.of(first, second), copied);
        assertEquals("", ok(hoist("copy", "--progress=none", TestImages.multiLayer(), "oci:" + temp.resolve("q") + ":x")).err());
        Cli.Run plain = ok(hoist("copy", "--progress=plain", TestImages.multiLayer(), "oci:" + temp.resolve("p") + ":x"));
        assertTrue(plain.err().startsWith("Getting image source signatures\n"), plain::toString);
        assertTrue(plain.err().contains("\nWriting manifest to image destination\n"), "one destination: podman's words");

        Cli.Run again = ok(hoist("copy", "--progress=plain", TestImages.multiLayer(), first, second));
        String layer = Skopeo.layers(first).get(0);
        assertTrue(again.err().contains("Copying blob " + layer + " skipped: already exists at " + first + "\n"), again::toString);
        assertTrue(again.err().contains("\nWriting manifest to " + first + "\n")
                && again.err().contains("\nWriting manifest to " + second + "\n"), "several: each named " + again);

        Cli.Run pull = ok(hoist("pull", "--progress=json", TestImages.multiLayer()));
        List<String> pulled = pull.err().strip().lines().toList();
        JsonNode last = Json.read(pulled.get(pulled.size() - 1).getBytes(StandardCharsets.UTF_8));
        assertEquals("copied", last.path("event").asText(), pull::toString);
        assertEquals("localhost/multi:latest", last.path("destination").asText(), pull::toString);
    }

    @Test
    void theSummaryShowsSizesForPeople() {
        String code = "println copy('" + TestImages.multiLayer() + "', 'oci:" + temp.resolve("h") + ":x', quiet: true)";
        String out = ok(hoist("-e", code)).out().strip();
        assertTrue(out.matches(".*: \\d+ blobs sent \\(\\d+(\\.\\d+)? (B|kB|MB)\\), 0 mounted, 0 already there"), out);
    }
}
