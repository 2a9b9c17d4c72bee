package hoist.engine.store;

import hoist.engine.copy.CopyOptions;
import hoist.engine.copy.Copier;
import hoist.engine.copy.ProgressListener;
import hoist.engine.image.Descriptor;
import hoist.engine.image.ImageManifest;
import hoist.engine.testing.TestImages;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writers and removals at once: what a writer reuses survives an rmi, and crashed writers' leftovers are collected. */
class StoreWritersTest {

    @TempDir
    Path root;

    private TransportContext context() {
        return TransportContext.defaults().withStoreRoot(root);
    }

    @Test
    void aBlobAWriterReusesSurvivesARemovalBeforeItsCommit() throws Exception {
        new Copier(context(), ProgressListener.NONE).copy(Transports.parse(TestImages.multiLayer()),
                List.of(Transports.parse("local:localhost/first:1")), CopyOptions.defaults());
        LocalStore store = LocalStore.open(root);
        RawManifest raw;
        try (ImageSource source = Transports.parse(TestImages.multiLayer()).openSource(context())) {
            raw = source.manifest(null);
        }
        ImageManifest manifest = (ImageManifest) raw.parse();
        List<Descriptor> blobs = new ArrayList<>(manifest.layers());
        blobs.add(manifest.config());
        try (ImageDestination writer = Transports.parse("local:localhost/second:1").openDestination(context())) {
            for (Descriptor blob : blobs) {
                assertTrue(writer.tryReuse(blob).isPresent(), "stored already: " + blob.digest());
            }
            store.remove("localhost/first:1"); // its blobs are unreferenced now and collected
            assertTrue(Files.notExists(store.blobPath(manifest.layers().get(0).digest())));
            writer.putManifest(raw);
            writer.commit();
        }
        assertEquals(List.of(), store.check());
        assertEquals(manifest.config().digest(), store.resolve("second:1").id());
    }

    @Test
    void aCrashedWritersStagingIsCollectedButALiveOnesIsNot() throws Exception {
        LocalStore store = LocalStore.open(root);
        Path crashed = Files.createDirectories(root.resolve("tmp/stage-crashed"));
        Files.writeString(crashed.resolve("writer.lock"), "");
        Files.writeString(crashed.resolve(".incoming-1.tmp"), "half a blob");
        new Copier(context(), ProgressListener.NONE).copy(Transports.parse(TestImages.multiLayer()),
                List.of(Transports.parse("local:localhost/gone:1")), CopyOptions.defaults());
        try (ImageDestination live = Transports.parse("local:localhost/live:1").openDestination(context())) {
            store.remove("localhost/gone:1");
            assertTrue(Files.notExists(crashed), "a crashed writer's files are removed");
            try (var stages = Files.list(root.resolve("tmp"))) {
                assertEquals(1, stages.count(), "the live writer's staging stays");
            }
        }
    }
}
