package hoist.engine.copy;

import hoist.engine.image.Digest;
import hoist.engine.image.DigestingInputStream;
import hoist.engine.transport.registry.BufferPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Destinations of one fan-out that take their transfer buffers from one bounded pool: a pool that
 * made them wait would deadlock (the ones waiting stop reading, the shared read stops when their
 * queues are full, and the one holding the buffer starves); lending at once lets all finish.
 */
class FanoutBufferPoolTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void destinationsHoldingBuffersOfOneSmallPoolAllFinishTheirFanOut() {
        byte[] blob = new byte[6 * 1024 * 1024 + 5];
        new Random(7).nextBytes(blob);
        Digest expected = Digest.sha256(blob);
        BufferPool pool = new BufferPool(256 * 1024, 1);
        List<BlobFanout.Sink<Digest>> sinks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sinks.add(in -> {
                byte[] buffer = pool.lend(); // held until this destination has read the whole blob
                try {
                    DigestingInputStream digesting = new DigestingInputStream(in);
                    while (digesting.read(buffer) >= 0) {
                        // stored
                    }
                    return digesting.digest();
                } finally {
                    pool.giveBack(buffer);
                }
            });
        }
        InputStream source = new ByteArrayInputStream(blob);
        List<BlobFanout.Outcome<Digest>> outcomes = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> BlobFanout.run(source, sinks, executor), "a destination waited for a buffer another one held");
        assertEquals(4, outcomes.size());
        for (BlobFanout.Outcome<Digest> outcome : outcomes) {
            assertTrue(outcome.succeeded(), () -> String.valueOf(outcome.failure()));
            assertEquals(expected, outcome.result());
        }
        assertEquals(1, pool.keptCount(), "the pool keeps no more buffers than it was sized for");
    }
}
