package hoist.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Docker schema 1 manifest read, and the config of its conversion rebuilt from the v1 history. */
class Schema1ManifestTest {

    private static final Digest EMPTY_TAR = Digest.sha256("an empty tar, gzipped");
    private static final Digest BOTTOM = Digest.sha256("bottom layer");
    private static final Digest MIDDLE = Digest.sha256("middle layer");

    /** Newest first: an ENV (throwaway), a RUN, the bottom ADD. */
    private static byte[] manifest(boolean signed) {
        String top = "{\\\"id\\\":\\\"c\\\",\\\"parent\\\":\\\"b\\\",\\\"throwaway\\\":true,\\\"architecture\\\":\\\"arm64\\\","
                + "\\\"variant\\\":\\\"v8\\\",\\\"os\\\":\\\"linux\\\",\\\"created\\\":\\\"2020-01-03T00:00:00Z\\\","
                + "\\\"config\\\":{\\\"Env\\\":[\\\"A=b\\\"]},\\\"container_config\\\":{\\\"Cmd\\\":[\\\"/bin/sh\\\",\\\"-c\\\",\\\"#(nop) ENV A=b\\\"]}}";
        String middle = "{\\\"id\\\":\\\"b\\\",\\\"parent\\\":\\\"a\\\",\\\"Size\\\":12,\\\"created\\\":\\\"2020-01-02T00:00:00Z\\\","
                + "\\\"author\\\":\\\"someone\\\",\\\"comment\\\":\\\"a comment\\\","
                + "\\\"container_config\\\":{\\\"Cmd\\\":[\\\"/bin/sh\\\",\\\"-c\\\",\\\"make\\\"]}}";
        String bottom = "{\\\"id\\\":\\\"a\\\",\\\"created\\\":\\\"2020-01-01T00:00:00Z\\\"}";
        return ("{\"schemaVersion\":1,\"name\":\"old/image\",\"tag\":\"1\",\"architecture\":\"arm64\","
                + "\"fsLayers\":[{\"blobSum\":\"" + EMPTY_TAR + "\"},{\"blobSum\":\"" + MIDDLE + "\"},{\"blobSum\":\"" + BOTTOM + "\"}],"
                + "\"history\":[{\"v1Compatibility\":\"" + top + "\"},{\"v1Compatibility\":\"" + middle + "\"},"
                + "{\"v1Compatibility\":\"" + bottom + "\"}]"
                + (signed ? ",\"signatures\":[]" : "") + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void layersAreOldestFirstWithoutTheEmptyOnes() {
        Schema1Manifest m = Schema1Manifest.parse(manifest(false), null);
        assertEquals(MediaTypes.DOCKER_SCHEMA1, m.mediaType());
        assertEquals(List.of(BOTTOM, MIDDLE), m.layers());
        assertEquals(List.of(EMPTY_TAR, MIDDLE, BOTTOM), m.fsLayers());
        assertEquals(new Platform("linux", "arm64", "v8"), m.platform());
        assertEquals(MediaTypes.DOCKER_SCHEMA1_SIGNED, Schema1Manifest.parse(manifest(true), null).mediaType());
    }

    @Test
    void configIsRebuiltFromTheNewestEntryWithTheWholeHistory() throws IOException {
        Schema1Manifest m = Schema1Manifest.parse(manifest(false), MediaTypes.DOCKER_SCHEMA1);
        Digest a = Digest.sha256("a, uncompressed");
        Digest b = Digest.sha256("b, uncompressed");
        JsonNode config = Json.read(m.config(List.of(a, b)));
        List<String> keys = new ArrayList<>();
        config.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("architecture", "config", "container_config", "created", "history", "os", "rootfs", "variant"), keys,
                "the v1-only fields (id, parent, Size, throwaway) are gone; keys sorted");
        assertEquals("layers", config.path("rootfs").path("type").asText());
        assertEquals(List.of(a.toString(), b.toString()), texts(config.path("rootfs").path("diff_ids")));
        JsonNode history = config.path("history");
        assertEquals(3, history.size());
        assertEquals("2020-01-01T00:00:00Z", history.get(0).path("created").asText());
        assertFalse(history.get(0).has("created_by"));
        assertEquals("/bin/sh -c make", history.get(1).path("created_by").asText());
        assertEquals("someone", history.get(1).path("author").asText());
        assertEquals("a comment", history.get(1).path("comment").asText());
        assertFalse(history.get(1).has("empty_layer"));
        assertTrue(history.get(2).path("empty_layer").asBoolean());
        assertEquals("A=b", config.path("config").path("Env").get(0).asText());
        assertThrows(IllegalArgumentException.class, () -> m.config(List.of(a)));
    }

    @Test
    void schema1IsRecognisedAndItsFaultsNamed() {
        assertTrue(Schema1Manifest.isSchema1(manifest(false), null));
        assertTrue(Schema1Manifest.isSchema1(manifest(true), MediaTypes.DOCKER_SCHEMA1_SIGNED));
        assertFalse(Schema1Manifest.isSchema1("{\"schemaVersion\":2,\"mediaType\":\"x\"}".getBytes(StandardCharsets.UTF_8), null));
        assertFalse(Schema1Manifest.isSchema1(manifest(false), MediaTypes.OCI_MANIFEST));
        String uneven = new String(manifest(false), StandardCharsets.UTF_8).replace("{\"blobSum\":\"" + EMPTY_TAR + "\"},", "");
        InvalidManifestException e = assertThrows(InvalidManifestException.class,
                () -> Schema1Manifest.parse(uneven.getBytes(StandardCharsets.UTF_8), null));
        assertTrue(e.getMessage().contains("2 fsLayers but 3 history entries"), e.getMessage());
        String badHistory = new String(manifest(false), StandardCharsets.UTF_8).replace("{\\\"id\\\":\\\"a\\\"", "[{\\\"id\\\":\\\"a\\\"");
        e = assertThrows(InvalidManifestException.class, () -> Schema1Manifest.parse(badHistory.getBytes(StandardCharsets.UTF_8), null));
        assertTrue(e.getMessage().contains("history[2].v1Compatibility"), e.getMessage());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
