package hoist.engine.copy;

import hoist.engine.image.Digest;
import hoist.engine.image.DigestingInputStream;
import hoist.engine.image.VerifyingInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlobFanoutTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** A sink that digests what it reads, as a destination storing the blob would. */
    private static BlobFanout.Sink<Digest> digesting() {
        return in -> {
            DigestingInputStream d = new DigestingInputStream(in);
            d.transferTo(java.io.OutputStream.nullOutputStream());
            return d.digest();
        };
    }

    @Test
    void everyConsumerGetsTheSameBytesFromOneRead() throws Exception {
        byte[] blob = random(3 * 1024 * 1024 + 17);
        AtomicInteger reads = new AtomicInteger();
        InputStream counted = new java.io.FilterInputStream(new ByteArrayInputStream(blob)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    reads.addAndGet(n);
                }
                return n;
            }
        };
        List<BlobFanout.Outcome<Digest>> outcomes = BlobFanout.run(counted, List.of(digesting(), digesting(), digesting()), pool);
        for (BlobFanout.Outcome<Digest> o : outcomes) {
            assertEquals(Digest.sha256(blob), o.result());
        }
        assertEquals(blob.length, reads.get(), "the source is read exactly once");
    }

    @Test
    void aFailingConsumerDoesNotStopTheOthers() throws Exception {
        byte[] blob = random(2 * 1024 * 1024);
        BlobFanout.Sink<Digest> failing = in -> {
            in.readNBytes(1000);
            throw new IOException("disk full");
        };
        List<BlobFanout.Outcome<Digest>> outcomes = BlobFanout.run(new ByteArrayInputStream(blob),
                List.of(digesting(), failing, digesting()), pool);
        assertEquals(Digest.sha256(blob), outcomes.get(0).result());
        assertFalse(outcomes.get(1).succeeded());
        assertEquals("disk full", outcomes.get(1).failure().getMessage());
        assertEquals(Digest.sha256(blob), outcomes.get(2).result());
    }

    @Test
    void aCorruptSourceFailsEveryConsumerAndIsReportedAsTheSource() {
        byte[] blob = random(1024 * 1024);
        Digest wrong = Digest.sha256("something else");
        List<Boolean> consumersFailed = new ArrayList<>();
        BlobFanout.Sink<Digest> storing = in -> {
            try {
                in.transferTo(java.io.OutputStream.nullOutputStream());
                return null;
            } catch (IOException | RuntimeException e) {
                synchronized (consumersFailed) {
                    consumersFailed.add(true);
                }
                throw e;
            }
        };
        for (int consumers : new int[] {1, 3}) {
            consumersFailed.clear();
            List<BlobFanout.Sink<Digest>> sinks = new ArrayList<>();
            for (int i = 0; i < consumers; i++) {
                sinks.add(storing);
            }
            InputStream corrupt = new VerifyingInputStream(new ByteArrayInputStream(blob), wrong, blob.length, "blob");
            BlobFanout.SourceFailedException e = assertThrows(BlobFanout.SourceFailedException.class,
                    () -> BlobFanout.run(corrupt, sinks, pool));
            assertTrue(e.getMessage().contains(wrong.toString()), e.getMessage());
            assertEquals(consumers, consumersFailed.size(), "no consumer may believe the blob complete");
        }
    }
}
