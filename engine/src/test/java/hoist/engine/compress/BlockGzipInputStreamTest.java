package hoist.engine.compress;

import hoist.engine.testing.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlockGzipInputStreamTest {

    @TempDir
    Path temp;

    /** Both engines: the one this build loads, and the JDK's fallback. */
    private static final List<DeflateEngine> ENGINES = List.of(DeflateEngine.current(), DeflateEngine.jdk());

    @Test
    void theNativeDeflateIsBuiltAndLoadedWhereIsalIsInstalled() {
        // the test command installs libisal-dev, so the build compiles the binding and it loads
        assertTrue(Files.exists(Path.of("/usr/include/isa-l/igzip_lib.h")), "libisal-dev is installed");
        assertTrue(DeflateEngine.current() instanceof IsalDeflate, DeflateEngine.current().description());
        assertTrue(DeflateEngine.current().description().startsWith("ISA-L 2."), DeflateEngine.current().description());
    }

    @Test
    void roundTripsOfEverySizeAreOneGzipMemberThatAnyReaderReads() throws IOException {
        int block = BlockGzipInputStream.BLOCK_SIZE;
        for (DeflateEngine engine : ENGINES) {
            for (int size : new int[] {0, 1, 1000, block - 1, block, block + 1, 3 * block + block / 2}) {
                byte[] plain = mixed(size, size);
                // every level on one size that spans blocks, the default on the others
                Integer[] levels = size == block + 1 ? new Integer[] {null, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9} : new Integer[] {null};
                for (Integer level : levels) {
                    byte[] packed = new BlockGzipInputStream(new ByteArrayInputStream(plain), engine, level).readAllBytes();
                    String what = engine.description() + ", " + size + " bytes, level " + level;
                    try (InputStream back = new GZIPInputStream(new ByteArrayInputStream(packed))) {
                        assertArrayEquals(plain, back.readAllBytes(), what);
                    }
                    try (InputStream back = DeflateEngine.current().gunzip(new ByteArrayInputStream(packed))) {
                        assertArrayEquals(plain, back.readAllBytes(), what + ", read by " + DeflateEngine.current().description());
                    }
                    assertOneMember(packed, what);
                }
            }
        }
    }

    @Test
    void blocksLookBackIntoThePreviousBlockSoRepeatedDataStaysSmall() throws IOException {
        // 2 MiB of the same 16 KiB of random bytes: without the window across blocks the second
        // block would cost as much as the first
        byte[] unit = new byte[16 * 1024];
        new Random(3).nextBytes(unit);
        byte[] plain = new byte[2 * BlockGzipInputStream.BLOCK_SIZE];
        for (int i = 0; i < plain.length; i += unit.length) {
            System.arraycopy(unit, 0, plain, i, unit.length);
        }
        for (DeflateEngine engine : ENGINES) {
            int size = new BlockGzipInputStream(new ByteArrayInputStream(plain), engine, 6).readAllBytes().length;
            assertTrue(size < 2 * unit.length, engine.description() + ": " + size + " bytes");
        }
    }

    @Test
    void gzipToolAndItsDecompressionAcceptTheStream() throws IOException {
        byte[] plain = mixed(5 * BlockGzipInputStream.BLOCK_SIZE + 123, 9);
        for (DeflateEngine engine : ENGINES) {
            Path file = temp.resolve("layer-" + (engine instanceof IsalDeflate ? "isal" : "jdk") + ".gz");
            try (InputStream in = new BlockGzipInputStream(new ByteArrayInputStream(plain), engine, null)) {
                Files.copy(in, file);
            }
            Command.run(List.of("gzip", "-t", file.toString()), Map.of());
            Path out = temp.resolve("plain-" + file.getFileName());
            Command.run(List.of("sh", "-c", "gzip -dc '" + file + "' > '" + out + "'"), Map.of());
            assertArrayEquals(plain, Files.readAllBytes(out), engine.description());
        }
    }

    @Test
    void theBytesDependOnlyOnTheInputNotOnHowManyBlocksAreInFlight() throws IOException {
        byte[] plain = mixed(4 * BlockGzipInputStream.BLOCK_SIZE + 5, 11);
        ExecutorService one = Executors.newSingleThreadExecutor();
        try {
            for (DeflateEngine engine : ENGINES) {
                byte[] parallel = new BlockGzipInputStream(new ByteArrayInputStream(plain), engine, 6).readAllBytes();
                byte[] serial = new BlockGzipInputStream(new ByteArrayInputStream(plain), engine, 6, one, 1).readAllBytes();
                assertArrayEquals(parallel, serial, engine.description());
            }
        } finally {
            one.shutdownNow();
        }
    }

    @Test
    void memoryIsBoundedByTheBlocksInFlight() throws IOException {
        // 64 MiB never held: the stream reads at most inFlight blocks ahead of what it has handed out
        long size = 64L * BlockGzipInputStream.BLOCK_SIZE;
        int inFlight = 3;
        CountingRandomInput input = new CountingRandomInput(size);
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try (InputStream gzip = new BlockGzipInputStream(input, DeflateEngine.current(), null, workers, inFlight)) {
            byte[] buffer = new byte[64 * 1024];
            long out = 0;
            long mostAhead = 0;
            for (int n; (n = gzip.read(buffer)) > 0; ) {
                out += n;
                mostAhead = Math.max(mostAhead, input.count - out);
            }
            assertTrue(out > size, "random data does not shrink: " + out);
            assertTrue(mostAhead <= (inFlight + 1L) * BlockGzipInputStream.BLOCK_SIZE,
                    "read ahead of the output: " + mostAhead + " bytes");
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void levelsOutsideZeroToNineAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new BlockGzipInputStream(new ByteArrayInputStream(new byte[0]), DeflateEngine.current(), 10));
        assertThrows(IllegalArgumentException.class,
                () -> new BlockGzipInputStream(new ByteArrayInputStream(new byte[0]), DeflateEngine.current(), -1));
    }

    /** One gzip member: a header, deflate data whose final block ends right before the 8-byte trailer. */
    private static void assertOneMember(byte[] packed, String what) {
        assertEquals(0x1f, packed[0] & 0xff, what);
        assertEquals(0x8b, packed[1] & 0xff, what);
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(packed, 10, packed.length - 10);
            byte[] sink = new byte[1 << 16];
            while (!inflater.finished()) {
                if (inflater.inflate(sink) == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new AssertionError(what + ": deflate data ended without a final block");
                }
            }
            assertEquals(8, inflater.getRemaining(), what + ": only the trailer follows the deflate data");
        } catch (java.util.zip.DataFormatException e) {
            throw new AssertionError(what + ": " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    /** Text, runs of zeros and random bytes, as layers mix them. */
    static byte[] mixed(int size, long seed) {
        Random random = new Random(seed);
        byte[] data = new byte[size];
        byte[] words = "the quick brown fox jumps over the lazy layer ".getBytes(StandardCharsets.US_ASCII);
        int i = 0;
        while (i < size) {
            int run = Math.min(size - i, 1 + random.nextInt(50_000));
            switch (random.nextInt(3)) {
                case 0 -> {
                    for (int j = 0; j < run; j++) {
                        data[i + j] = words[(i + j) % words.length];
                    }
                }
                case 1 -> {
                    // zeros: left as they are
                }
                default -> {
                    byte[] noise = new byte[run];
                    random.nextBytes(noise);
                    System.arraycopy(noise, 0, data, i, run);
                }
            }
            i += run;
        }
        return data;
    }

    /** {@code size} random bytes, made as they are read, counting how many were read. */
    private static final class CountingRandomInput extends FilterInputStream {
        private final Random random = new Random(5);
        private final long size;
        long count;

        CountingRandomInput(long size) {
            super(InputStream.nullInputStream());
            this.size = size;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (count == size) {
                return -1;
            }
            int n = (int) Math.min(len, size - count);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            count += n;
            return n;
        }
    }
}
