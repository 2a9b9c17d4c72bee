package hoist.engine.image;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestParserTest {

    private static final String LAYER = "sha256:" + "a".repeat(64);
    private static final String CONFIG = "sha256:" + "b".repeat(64);

    private static byte[] bytes(String json) {
        return json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keepsTheExactBytesSoTheDigestIsOfWhatWasRead() {
        byte[] raw = bytes("{ 'schemaVersion': 2, 'mediaType': '" + MediaTypes.OCI_MANIFEST + "',"
                + " 'config': {'mediaType': '" + MediaTypes.OCI_CONFIG + "', 'digest': '" + CONFIG + "', 'size': 10},"
                + " 'layers': [{'mediaType': '" + MediaTypes.OCI_LAYER_GZIP + "', 'digest': '" + LAYER + "', 'size': 20}] }");
        ImageManifest m = assertInstanceOf(ImageManifest.class, Manifest.parse(raw, null));
        assertArrayEquals(raw, m.raw());
        assertEquals(Digest.sha256(raw), m.digest());
        assertEquals(20, m.layers().get(0).size());
        assertEquals(ManifestFormat.OCI, m.format());
    }

    @Test
    void ociManifestWithoutMediaTypeIsRecognizedByItsShape() {
        byte[] raw = bytes("{'schemaVersion': 2, 'manifests': []}");
        assertInstanceOf(ManifestList.class, Manifest.parse(raw, null));
    }

    @Test
    void errorsNameTheFieldAtFault() {
        String badDigest = "{'schemaVersion': 2, 'mediaType': '" + MediaTypes.OCI_MANIFEST + "',"
                + " 'config': {'mediaType': '" + MediaTypes.OCI_CONFIG + "', 'digest': '" + CONFIG + "', 'size': 10},"
                + " 'layers': [{'mediaType': '" + MediaTypes.OCI_LAYER_GZIP + "', 'digest': 'sha256:xyz', 'size': 20}] }";
        InvalidManifestException e = assertThrows(InvalidManifestException.class, () -> Manifest.parse(bytes(badDigest), null));
        assertTrue(e.getMessage().contains("layers[0].digest"), e.getMessage());

        String negative = badDigest.replace("sha256:xyz", LAYER).replace("'size': 20", "'size': -1");
        e = assertThrows(InvalidManifestException.class, () -> Manifest.parse(bytes(negative), null));
        assertTrue(e.getMessage().contains("layers[0].size"), e.getMessage());

        e = assertThrows(InvalidManifestException.class, () -> Manifest.parse(bytes("{'schemaVersion': 1, 'mediaType': '"
                + MediaTypes.OCI_MANIFEST + "', 'config': {}, 'layers': []}"), null));
        assertTrue(e.getMessage().contains("schemaVersion"), e.getMessage());

        e = assertThrows(InvalidManifestException.class, () -> Manifest.parse(bytes("{not json"), null));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void dockerManifestMustNotCarryOciLayerTypes() {
        String json = "{'schemaVersion': 2, 'mediaType': '" + MediaTypes.DOCKER_MANIFEST + "',"
                + " 'config': {'mediaType': '" + MediaTypes.DOCKER_CONFIG + "', 'digest': '" + CONFIG + "', 'size': 10},"
                + " 'layers': [{'mediaType': '" + MediaTypes.OCI_LAYER_GZIP + "', 'digest': '" + LAYER + "', 'size': 20}] }";
        InvalidManifestException e = assertThrows(InvalidManifestException.class, () -> Manifest.parse(bytes(json), null));
        assertTrue(e.getMessage().contains("layers[0].mediaType"), e.getMessage());
    }

    @Test
    void servedMediaTypeMustAgreeWithTheDeclaredOne() {
        String json = "{'schemaVersion': 2, 'mediaType': '" + MediaTypes.OCI_INDEX + "', 'manifests': []}";
        assertThrows(InvalidManifestException.class, () -> Manifest.parse(bytes(json), MediaTypes.DOCKER_LIST));
    }

    @Test
    void writtenManifestsParseBackToTheSameContent() {
        Descriptor config = new Descriptor(MediaTypes.OCI_CONFIG, Digest.parse(CONFIG), 10);
        Descriptor layer = new Descriptor(MediaTypes.OCI_LAYER_ZSTD, Digest.parse(LAYER), 20);
        ImageManifest m = ImageManifest.of(ManifestFormat.OCI, config, List.of(layer), Map.of("k", "v"));
        ImageManifest back = (ImageManifest) Manifest.parse(m.raw(), m.mediaType());
        assertEquals(List.of(layer), back.layers());
        assertEquals(Map.of("k", "v"), back.annotations());

        Descriptor entry = new Descriptor(MediaTypes.OCI_MANIFEST, m.digest(), m.raw().length)
                .withPlatform(new Platform("linux", "arm64", "v8"));
        ManifestList list = ManifestList.of(ManifestFormat.OCI, List.of(entry), Map.of());
        ManifestList listBack = (ManifestList) Manifest.parse(list.raw(), null);
        assertEquals(entry, listBack.manifests().get(0));
        assertEquals(entry, listBack.choose(new Platform("linux", "arm64", null)).orElseThrow());
        assertTrue(listBack.choose(new Platform("linux", "amd64", null)).isEmpty());
    }
}
