package hoist.engine.copy;

import hoist.engine.HoistException;
import hoist.engine.testing.TestImages;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Interrupting the thread that runs a copy (Ctrl-C in the shell) stops it and leaves the destination as it was. */
class CopyCancellationTest {

    @TempDir
    Path temp;

    @Test
    void interruptedCopyStopsAndAddsNothingToAnExistingLayout() throws Exception {
        String source = TestImages.large(24);
        Path layout = temp.resolve("layout");
        TestImages.as(TestImages.multiLayer(), "oci", layout);
        Set<Path> before = files(layout);
        String indexBefore = Files.readString(layout.resolve("index.json"));

        AtomicReference<Thread> caller = new AtomicReference<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        // the first progress cancels the copy; the layer's thread then waits until the copy interrupts it,
        // so the copy cannot finish before the cancellation reaches it
        ProgressListener cancelAtFirstProgress = event -> {
            if (event instanceof CopyEvent.BlobProgress && cancelled.compareAndSet(false, true)) {
                caller.get().interrupt();
                try {
                    Thread.sleep(20_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        TransportContext context = TransportContext.defaults().withStoreRoot(temp.resolve("store")).withTempDir(temp);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread copy = new Thread(() -> {
            try {
                new Copier(context, cancelAtFirstProgress).copy(Transports.parse(source),
                        List.of(Transports.parse("oci:" + layout + ":big")), CopyOptions.defaults());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        caller.set(copy);
        long start = System.nanoTime();
        copy.start();
        copy.join(TimeUnit.SECONDS.toMillis(60));

        assertTrue(cancelled.get(), "the copy reported progress");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "stopped at once, not after the wait");
        HoistException error = assertInstanceOf(HoistException.class, failure.get());
        assertTrue(error.getMessage().contains("cancelled"), error.getMessage());
        assertEquals(before, files(layout), "no blob, temporary or not, left in the layout");
        assertEquals(indexBefore, Files.readString(layout.resolve("index.json")));
    }

    private static Set<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(root::relativize).collect(Collectors.toSet());
        }
    }
}
