package hoist.engine.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.HoistException;
import hoist.engine.image.Platform;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The navigable inspect result, checked field by field against the JSON skopeo reads. */
class InspectedImageTest {

    @TempDir
    Path temp;

    private InspectedImage inspect(String reference, Platform platform) throws IOException {
        ImageReference ref = Transports.parse(reference, "local");
        TransportContext context = TransportContext.defaults().withStoreRoot(temp.resolve("store"));
        try (ImageSource source = ref.openSource(context)) {
            return InspectedImage.of(ref.text(), ImageContent.read(source), platform);
        }
    }

    /** An instance's manifest, read from the layout's blobs as the OCI layout specification places them. */
    private static JsonNode layoutBlob(String ociReference, String digest) throws IOException {
        Path layout = Path.of(ociReference.substring("oci:".length(), ociReference.lastIndexOf(':')));
        return hoist.engine.image.Json.read(Files.readAllBytes(layout.resolve("blobs/sha256/" + digest.substring("sha256:".length()))));
    }

    @Test
    void listEntriesPlatformsLayersAndConfigsMatchTheRawIndex() throws IOException {
        String list = TestImages.multiPlatform();
        JsonNode index = Skopeo.manifest(list);
        InspectedImage image = inspect(list, new Platform("linux", "arm64", null));

        assertTrue(image.list());
        assertEquals(Skopeo.manifestDigest(list).toString(), image.digest());
        assertEquals(index.path("mediaType").asText(), image.mediaType());
        assertEquals(index.path("manifests").size(), image.manifests().size());
        for (int i = 0; i < index.path("manifests").size(); i++) {
            JsonNode rawEntry = index.path("manifests").get(i);
            InspectedInstance entry = image.manifests().get(i);
            assertEquals(rawEntry.path("digest").asText(), entry.digest());
            assertEquals(rawEntry.path("size").asLong(), entry.size());
            assertEquals(rawEntry.path("platform").path("os").asText(), entry.platform().os());
            assertEquals(rawEntry.path("platform").path("architecture").asText(), entry.platform().architecture());
            assertNull(entry.unavailable());

            JsonNode manifest = layoutBlob(list, entry.digest());
            InspectedImage instance = image.instance(entry.digest());
            assertFalse(instance.list());
            assertEquals(entry.digest(), instance.digest());
            assertEquals(manifest.path("config").path("digest").asText(), instance.config().digest());
            assertEquals(manifest.path("config").path("size").asLong(), instance.config().size());
            assertEquals(entry.platform().architecture(), instance.config().architecture());
            assertEquals("linux", instance.config().os());
            JsonNode config = layoutBlob(list, instance.config().digest());
            assertEquals(config.path("created").asText(), instance.config().created());
            assertEquals(manifest.path("layers").size(), instance.layers().size());
            for (int l = 0; l < manifest.path("layers").size(); l++) {
                JsonNode rawLayer = manifest.path("layers").get(l);
                InspectedLayer layer = instance.layers().get(l);
                assertEquals(l + 1, layer.index());
                assertEquals(rawLayer.path("digest").asText(), layer.digest());
                assertEquals(rawLayer.path("size").asLong(), layer.size());
                assertEquals(rawLayer.path("mediaType").asText(), layer.mediaType());
                assertEquals(rawLayer.path("mediaType").asText().endsWith("+gzip") ? "gzip" : "none", layer.compression());
                assertEquals(config.path("rootfs").path("diff_ids").get(l).asText(), layer.diffId());
            }
        }
        InspectedImage arm = image.instance("linux/arm64");
        assertEquals("arm64", arm.config().architecture());
        assertEquals(arm.layers(), image.layers(), "a list shows the layers of the platform inspected for");
        assertEquals(arm.config(), image.config());
        assertSame(arm, image.instance(arm.digest().substring("sha256:".length(), "sha256:".length() + 10)));
    }

    @Test
    void singleImageCarriesConfigFieldsAndEveryLayer() throws IOException {
        String multi = TestImages.multiLayer();
        InspectedImage image = inspect(multi, Platform.current());
        JsonNode manifest = Skopeo.manifest(multi);
        JsonNode config = Skopeo.config(multi);

        assertFalse(image.list());
        assertTrue(image.manifests().isEmpty());
        assertEquals(Skopeo.manifestDigest(multi).toString(), image.digest());
        assertEquals(Skopeo.rawManifest(multi).getBytes(java.nio.charset.StandardCharsets.UTF_8).length, image.size());
        List<String> rawLayers = new ArrayList<>();
        manifest.path("layers").forEach(l -> rawLayers.add(l.path("digest").asText() + " " + l.path("size").asLong()));
        assertEquals(rawLayers, image.layers().stream().map(l -> l.digest() + " " + l.size()).toList());
        assertEquals(List.of("GREETING=hello"), image.config().env().stream().filter(e -> e.startsWith("GREETING")).toList());
        assertEquals("multi", image.config().labels().get("test"));
        assertEquals(config.path("config").path("Cmd").get(0).asText(), image.config().cmd().get(0));
        assertEquals(config.path("architecture").asText(), image.config().architecture());
        assertEquals(config.path("rootfs").path("diff_ids").size(), image.config().diffIds().size());
        assertEquals(image.config().size() + rawLayers.stream().mapToLong(l -> Long.parseLong(l.split(" ")[1])).sum(),
                image.contentSize());
        HoistException notAList = assertThrows(HoistException.class, () -> image.instance("linux/amd64"));
        assertTrue(notAList.getMessage().contains("is a single image"), notAList.getMessage());
    }

    @Test
    void unknownInstancesAreNamedInTheError() throws IOException {
        InspectedImage image = inspect(TestImages.multiPlatform(), Platform.current());
        HoistException platform = assertThrows(HoistException.class, () -> image.instance("linux/s390x"));
        assertTrue(platform.getMessage().contains("has no image for linux/s390x"), platform.getMessage());
        HoistException digest = assertThrows(HoistException.class, () -> image.instance("sha256:0000"));
        assertTrue(digest.getMessage().contains("no instance \"sha256:0000\""), digest.getMessage());
    }

    @Test
    void humanSizesUseDecimalUnits() {
        assertEquals("0 B", HumanSize.of(0));
        assertEquals("999 B", HumanSize.of(999));
        assertEquals("1.00 kB", HumanSize.of(1000));
        assertEquals("3.15 MB", HumanSize.of(3_145_728));
        assertEquals("2.00 GB", HumanSize.of(2_000_000_000L));
    }
}
