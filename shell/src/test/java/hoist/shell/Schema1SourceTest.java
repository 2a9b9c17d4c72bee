package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.image.Json;
import hoist.engine.image.MediaTypes;
import hoist.engine.testing.Command;
import hoist.engine.testing.Registry;
import hoist.engine.testing.StartedRegistry;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Docker schema 1 images as sources, written by the tests with skopeo: signed (a JWS,
 * {@code +prettyjws}) in the real registry, which takes them when configured to; unsigned
 * ({@code v1+json}, which the distribution registry refuses to store) served by a small server of
 * the test's own and read from a {@code dir:} layout. hoist converts them (config rebuilt from the
 * v1 history, empty layers left out, diff IDs computed on the way) and skopeo reads the result.
 */
class Schema1SourceTest {

    @StartedRegistry
    private static Registry registry;

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    private static JsonNode json(String text) throws IOException {
        return Json.read(text.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode manifest(String ref) throws IOException {
        return json(Command.run("skopeo", "inspect", "--tls-verify=false", "--raw", ref));
    }

    private static JsonNode config(String ref) throws IOException {
        return json(Command.run("skopeo", "inspect", "--tls-verify=false", "--config", "--raw", ref));
    }

    private static List<String> diffIds(String ref) throws IOException {
        List<String> ids = new ArrayList<>();
        config(ref).path("rootfs").path("diff_ids").forEach(d -> ids.add(d.asText()));
        return ids;
    }


    /** The converted config's history has every schema 1 entry; the empty ones are marked and have no diff ID. */
    private static void assertHistoryKept(JsonNode schema1, JsonNode config) throws IOException {
        JsonNode history = config.path("history");
        assertEquals(schema1.path("history").size(), history.size(), config.toString());
        int empty = 0;
        for (JsonNode entry : schema1.path("history")) {
            if (json(entry.path("v1Compatibility").asText()).path("throwaway").asBoolean()) {
                empty++;
            }
        }
        int marked = 0;
        for (JsonNode entry : history) {
            marked += entry.path("empty_layer").asBoolean() ? 1 : 0;
        }
        assertEquals(empty, marked, config.toString());
        assertEquals(history.size() - empty, config.path("rootfs").path("diff_ids").size(), config.toString());
    }

    @Test
    void signedSchema1InARegistryIsConvertedToOciAndSchema2() throws IOException {
        String original = TestImages.multiLayer();
        String old = registry.ref("old/signed:1");
        Command.run("skopeo", "--insecure-policy", "copy", "-q", "--dest-tls-verify=false", "--format", "v2s1", original, old);
        JsonNode schema1 = manifest(old);
        assertEquals(1, schema1.path("schemaVersion").asInt());
        assertTrue(schema1.path("signatures").isArray() && !schema1.path("signatures").isEmpty(), "signed: " + schema1);

        String oci = "oci:" + temp.resolve("from-signed") + ":x";
        ok(hoist("copy", "-q", "--tls-verify=false", old, oci));
        assertEquals(MediaTypes.OCI_MANIFEST, manifest(oci).path("mediaType").asText());
        assertEquals(diffIds(original), diffIds(oci), "layers oldest first, each with its diff ID");
        assertEquals(diffIds(original), SkopeoDecompression.layerDigests(temp, oci, "signed"));
        assertHistoryKept(schema1, config(oci));
        assertEquals(config(original).path("config").path("Env"), config(oci).path("config").path("Env"));

        String converted = registry.ref("old/converted:1");
        ok(hoist("copy", "-q", "--tls-verify=false", old, converted));
        assertEquals(MediaTypes.DOCKER_MANIFEST, manifest(converted).path("mediaType").asText(), "schema2 where it is taken");
        assertEquals(diffIds(original), SkopeoDecompression.layerDigests(temp, converted, "converted"));
        // the layers were in the registry already, so nothing read them on the way: their diff IDs are still right
        ok(hoist("copy", "-q", "--tls-verify=false", old, registry.ref("old/signed:again")));
        assertEquals(diffIds(original), diffIds(registry.ref("old/signed:again")));

        String digest = Command.run("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}", old).strip();
        String byItsDigest = "oci:" + temp.resolve("by-digest") + ":x";
        ok(hoist("copy", "-q", "--tls-verify=false", registry.ref("old/signed@" + digest), byItsDigest));
        assertEquals(diffIds(original), diffIds(byItsDigest), "a signed manifest's digest is its payload's");
        Cli.Run byDigest = hoist("copy", "-q", "--tls-verify=false", old, registry.ref("old/kept@" + digest));
        assertEquals(1, byDigest.status(), byDigest::toString);
        assertTrue(byDigest.err().contains("would be converted") && byDigest.err().contains("named by digest"), byDigest::toString);
    }

    @Test
    void unsignedSchema1IsConvertedFromAServerAndFromADirectory() throws IOException {
        String original = OciLayouts.write(temp.resolve("original"), "gzip", 11);
        Path dir = temp.resolve("schema1-dir");
        Command.run("skopeo", "--insecure-policy", "copy", "-q", "--format", "v2s1", original, "dir:" + dir);
        ObjectNode unsigned = (ObjectNode) Json.read(Files.readAllBytes(dir.resolve("manifest.json")));
        assertFalse(unsigned.path("signatures").isMissingNode(), "skopeo signs what it writes");
        unsigned.remove("signatures");
        byte[] bytes = Json.pretty(unsigned).getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("manifest.json"), bytes);
        assertEquals(2, unsigned.path("fsLayers").size(), "one layer and one empty (throwaway) layer");

        String fromDir = "oci:" + temp.resolve("from-dir") + ":x";
        ok(hoist("copy", "-q", "dir:" + dir, fromDir));
        assertEquals(List.of(OciLayouts.diffId(11).toString()), diffIds(fromDir));
        assertHistoryKept(unsigned, config(fromDir));

        try (Schema1Server server = new Schema1Server("old/unsigned", bytes, dir)) {
            String fromServer = "oci:" + temp.resolve("from-server") + ":x";
            ok(hoist("copy", "-q", "--tls-verify=false", "docker://" + server.host() + "/old/unsigned", fromServer));
            assertEquals(List.of(OciLayouts.diffId(11).toString()), SkopeoDecompression.layerDigests(temp, fromServer, "unsigned"));
            assertEquals(config(fromDir), config(fromServer), "the same config from the same history");
        }
    }
}
