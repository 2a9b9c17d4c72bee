package hoist.engine.transport.storage;

import hoist.engine.HoistException;
import hoist.engine.testing.Buildah;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store as a whole (list, tag, remove), checked against what buildah then sees. */
class ContainersStorageApiTest {

    @TempDir
    Path temp;

    @Test
    void listsTagsAndRemovesAsBuildahSeesIt() throws IOException {
        Buildah buildah = new Buildah(temp, "overlay");
        String baseId = buildah.commit("scratch", "localhost/base", rootfs -> Files.writeString(rootfs.resolve("a"), "a\n"));
        String topId = buildah.commit("localhost/base", "localhost/top", rootfs -> Files.writeString(rootfs.resolve("b"), "b\n"));
        ContainersStorage storage = ContainersStorage.open(
                new StoreOptions("overlay", buildah.root(), buildah.runRoot(), List.of()), "test");

        List<ContainersStorage.ImageSummary> images = storage.images();
        assertEquals(2, images.size());
        ContainersStorage.ImageSummary top = images.stream().filter(i -> i.names().contains("localhost/top:latest")).findFirst().orElseThrow();
        assertTrue(topId.endsWith(top.id()) || top.id().startsWith(topId.replace("sha256:", "")), top + " vs " + topId);
        assertTrue(top.size() > 0);
        assertTrue(top.created().startsWith("20"), top.created());

        storage.tag("localhost/top", "localhost/renamed:2");
        storage.tag(top.id().substring(0, 12), "localhost/base:latest"); // takes the name from the other image
        String listed = buildah.run("images", "--noheading", "--no-trunc", "--format", "{{.Name}}:{{.Tag}} {{.ID}}");
        assertTrue(listed.contains("localhost/renamed:2 "), listed);
        assertEquals(2, storage.images().stream().filter(i -> i.id().equals(top.id())).findFirst().orElseThrow().names().size() - 1);

        Path topLayerDir = buildah.root().resolve("overlay");
        long layersBefore;
        try (var dirs = Files.list(topLayerDir)) {
            layersBefore = dirs.count();
        }
        assertEquals(top.id(), storage.remove("localhost/renamed:2"));
        assertFalse(buildah.run("images", "--noheading", "--no-trunc").contains(top.id()));
        try (var dirs = Files.list(topLayerDir)) {
            assertEquals(layersBefore - 1, dirs.count(), "the top image's own layer is gone, the base's stays");
        }
        String container = buildah.run("from", "--pull-never", baseId.replace("sha256:", ""));
        buildah.run("rm", container);

        HoistException missing = assertThrows(HoistException.class, () -> storage.remove("localhost/top"));
        assertTrue(missing.getMessage().contains("image not known"), missing.getMessage());
    }
}
