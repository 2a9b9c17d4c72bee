package hoist.engine.store;

import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The index's transforms, as values: no store, no disk. */
class ImageIndexTest {

    private static StoredImage image(String seed, String... names) {
        return new StoredImage(Digest.sha256("m" + seed), "application/vnd.oci.image.manifest.v1+json",
                Digest.sha256(seed), List.of(names), null, 1);
    }

    private static StoredImage list(String seed, String... names) {
        Digest digest = Digest.sha256("l" + seed);
        return new StoredImage(digest, "application/vnd.oci.image.index.v1+json", digest, List.of(names), null, 1);
    }

    private static List<List<String>> names(ImageIndex index) {
        return index.images().stream().map(StoredImage::names).toList();
    }

    private final StoredImage app = image("a", "localhost/app:1", "localhost/app:2");
    private final StoredImage tool = image("b", "localhost/tool:1");
    private final StoredImage multi = list("c", "localhost/multi:1");
    private final ImageIndex index = new ImageIndex(List.of(app, tool, multi));

    @Test
    void aStoredImageTakesItsNameFromAnotherAndBecomesTheNewest() {
        StoredImage fresh = image("d");
        ImageIndex.Change<StoredImage> change = index.store(fresh, List.of("localhost/tool:1"), false);
        assertEquals(List.of("localhost/tool:1"), change.result().names());
        assertEquals(List.of(List.of("localhost/app:1", "localhost/app:2"), List.of(), List.of("localhost/multi:1"),
                List.of("localhost/tool:1")), names(change.index()), "the old image stays, nameless, found by ID");
        assertEquals(index, new ImageIndex(List.of(app, tool, multi)), "the index it came from is unchanged");
    }

    @Test
    void storingAnImageAgainKeepsItsNamesAndMovesItLast() {
        ImageIndex.Change<StoredImage> change = index.store(app, List.of("localhost/app:3"), false);
        assertEquals(List.of("localhost/app:1", "localhost/app:2", "localhost/app:3"), change.result().names());
        assertEquals(List.of(tool, multi), change.index().images().subList(0, 2));
        assertEquals(3, change.index().images().size(), "no second entry for the same manifest");
    }

    @Test
    void anEditedListReplacesTheOldOneWhichLeavesTheIndex() {
        StoredImage edited = list("c2");
        ImageIndex.Change<StoredImage> change = index.store(edited, multi.names(), true);
        assertEquals(List.of(app, tool), change.index().images().subList(0, 2));
        assertEquals(List.of("localhost/multi:1"), change.index().images().get(2).names());
        assertEquals(edited.manifestDigest(), change.index().images().get(2).manifestDigest());
        // an image that loses its last name that way stays: only lists go
        ImageIndex tagged = index.store(list("e"), List.of("localhost/tool:1"), true).index();
        assertTrue(tagged.image(tool.manifestDigest()).isPresent());
    }

    @Test
    void tagMovesNamesAndKeepsTheOrder() {
        ImageIndex tagged = index.tag(tool.manifestDigest(), List.of("localhost/app:2", "localhost/new:1"));
        assertEquals(List.of(List.of("localhost/app:1"), List.of("localhost/tool:1", "localhost/app:2", "localhost/new:1"),
                List.of("localhost/multi:1")), names(tagged));
    }

    @Test
    void removingANameKeepsTheImageUntilItsLastName() {
        ImageIndex.Change<List<String>> first = index.remove("app:1", false, false);
        assertEquals(List.of("Untagged: localhost/app:1"), first.result());
        assertEquals(List.of("localhost/app:2"), first.index().images().get(0).names());
        ImageIndex.Change<List<String>> last = first.index().remove("app:2", false, false);
        assertEquals(List.of("Untagged: localhost/app:2", "Deleted: " + app.id().hex()), last.result());
        assertEquals(List.of(tool, multi), last.index().images());
    }

    @Test
    void removingByIdNeedsForceWhenTheImageHasSeveralNames() {
        HoistException refused = assertThrows(HoistException.class, () -> index.remove(app.id().hex(), false, false));
        assertTrue(refused.getMessage().contains("localhost/app:1, localhost/app:2"), refused.getMessage());
        ImageIndex.Change<List<String>> forced = index.remove(app.id().shortHex(), false, true);
        assertEquals(List.of("Untagged: localhost/app:1", "Untagged: localhost/app:2", "Deleted: " + app.id().hex()),
                forced.result());
        assertEquals(List.of(tool, multi), forced.index().images());
        assertEquals(List.of("Untagged: localhost/tool:1", "Deleted: " + tool.id().hex()),
                index.remove(tool.id().hex(), false, false).result(), "one name: no force needed");
    }

    @Test
    void removeListRefusesAnImageAndRemovesAListWithAllItsNames() {
        HoistException refused = assertThrows(HoistException.class, () -> index.remove("tool:1", true, true));
        assertTrue(refused.getMessage().contains("is not a manifest list"), refused.getMessage());
        ImageIndex.Change<List<String>> removed = index.remove("multi:1", true, true);
        assertEquals(List.of(app, tool), removed.index().images());
    }

    @Test
    void deleteRemovesTheImageWithEveryNameHoweverItIsNamed() {
        ImageIndex.Change<List<String>> deleted = index.delete("app:2");
        assertEquals(List.of("Untagged: localhost/app:1", "Untagged: localhost/app:2", "Deleted: " + app.id().hex()),
                deleted.result());
        assertEquals(List.of(tool, multi), deleted.index().images());
        assertThrows(HoistException.class, () -> index.delete("nothing:here"));
    }

    @Test
    void removeAllEmptiesTheIndexReportingEveryImageInOrder() {
        ImageIndex.Change<List<String>> all = index.removeAll();
        assertEquals(ImageIndex.empty(), all.index());
        assertEquals(List.of("Untagged: localhost/app:1", "Untagged: localhost/app:2", "Deleted: " + app.id().hex(),
                "Untagged: localhost/tool:1", "Deleted: " + tool.id().hex(),
                "Untagged: localhost/multi:1", "Deleted: " + multi.id().hex()), all.result());
    }
}
