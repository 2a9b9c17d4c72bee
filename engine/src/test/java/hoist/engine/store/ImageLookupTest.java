package hoist.engine.store;

import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageLookupTest {

    private static StoredImage image(String seed, String... names) {
        Digest id = Digest.sha256(seed);
        return new StoredImage(Digest.sha256("m" + seed), "application/vnd.oci.image.manifest.v1+json", id, List.of(names),
                null, 1);
    }

    private final StoredImage local = image("a", "localhost/app:1");
    private final StoredImage hub = image("b", "docker.io/library/app:1", "docker.io/library/alpine:latest");
    private final StoredImage quay = image("c", "quay.io/team/tool:2");
    private final List<StoredImage> images = List.of(local, hub, quay);

    @Test
    void shortNamesPreferLocalhostThenDockerHubThenAUniqueSuffix() {
        assertEquals(local, ImageLookup.resolve(images, "app:1"));
        assertEquals(hub, ImageLookup.resolve(images, "alpine"));
        assertEquals(hub, ImageLookup.resolve(images, "docker.io/library/app:1"));
        assertEquals(quay, ImageLookup.resolve(images, "tool:2"));
        assertEquals(quay, ImageLookup.resolve(images, "team/tool:2"));
    }

    @Test
    void idsAndUniquePrefixesFindImages() {
        assertEquals(quay, ImageLookup.resolve(images, quay.id().hex()));
        assertEquals(quay, ImageLookup.resolve(images, quay.id().toString()));
        assertEquals(quay, ImageLookup.resolve(images, quay.id().hex().substring(0, 6)));
    }

    @Test
    void ambiguityAndAbsenceAreErrorsThatSaySo() {
        List<StoredImage> twoTools = List.of(quay, image("d", "ghcr.io/other/tool:2"));
        HoistException e = assertThrows(HoistException.class, () -> ImageLookup.resolve(twoTools, "tool:2"));
        assertTrue(e.getMessage().contains("ambiguous") && e.getMessage().contains("ghcr.io/other/tool:2"), e.getMessage());
        e = assertThrows(HoistException.class, () -> ImageLookup.resolve(images, "nothing"));
        assertEquals("nothing: image not known", e.getMessage());
    }
}
