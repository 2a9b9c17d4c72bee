package hoist.engine.image;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestConversionTest {

    private static final Digest A = Digest.sha256("a");
    private static final Digest B = Digest.sha256("b");
    private static final Digest C = Digest.sha256("c");

    @Test
    void ociToSchema2ChangesMediaTypesButNotDigests() {
        ImageManifest oci = ImageManifest.of(ManifestFormat.OCI, new Descriptor(MediaTypes.OCI_CONFIG, A, 1),
                List.of(new Descriptor(MediaTypes.OCI_LAYER_GZIP, B, 2), new Descriptor(MediaTypes.OCI_LAYER, C, 3)), Map.of());
        ImageManifest docker = ManifestConversion.convert(oci, ManifestFormat.V2S2);
        assertEquals(MediaTypes.DOCKER_MANIFEST, docker.mediaType());
        assertEquals(MediaTypes.DOCKER_CONFIG, docker.config().mediaType());
        assertEquals(List.of(MediaTypes.DOCKER_LAYER_GZIP, MediaTypes.DOCKER_LAYER),
                docker.layers().stream().map(Descriptor::mediaType).toList());
        assertEquals(List.of(B, C), docker.layers().stream().map(Descriptor::digest).toList());

        ImageManifest back = ManifestConversion.convert(docker, ManifestFormat.OCI);
        assertEquals(oci.layers(), back.layers());
        assertEquals(oci.digest(), back.digest());
    }

    @Test
    void zstdLayersCannotGoIntoSchema2() {
        ImageManifest oci = ImageManifest.of(ManifestFormat.OCI, new Descriptor(MediaTypes.OCI_CONFIG, A, 1),
                List.of(new Descriptor(MediaTypes.OCI_LAYER_ZSTD, B, 2)), Map.of());
        ManifestConversionException e = assertThrows(ManifestConversionException.class,
                () -> ManifestConversion.convert(oci, ManifestFormat.V2S2));
        assertTrue(e.getMessage().contains(B.toString()) && e.getMessage().contains("zstd"), e.getMessage());
    }

    @Test
    void artifactsAreNotConverted() {
        ImageManifest artifact = ImageManifest.of(ManifestFormat.OCI, new Descriptor("application/vnd.example+json", A, 1),
                List.of(), Map.of());
        assertThrows(ManifestConversionException.class, () -> ManifestConversion.convert(artifact, ManifestFormat.V2S2));
    }
}
