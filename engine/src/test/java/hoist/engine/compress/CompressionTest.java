package hoist.engine.compress;

import hoist.engine.HoistException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CompressionTest {

    @Test
    void compressingStreamRoundTripsAndIsDetectedByMagicBytes() throws Exception {
        byte[] plain = new byte[1_000_000];
        new Random(1).nextBytes(plain);
        for (int i = 0; i < plain.length; i += 3) {
            plain[i] = 0; // partly compressible
        }
        for (Compression c : List.of(Compression.NONE, Compression.GZIP, Compression.ZSTD)) { // zstd:chunked needs a tar
            byte[] packed = new CompressingInputStream(new ByteArrayInputStream(plain), c, null).readAllBytes();
            Compression.Detected detected = Compression.detect(new ByteArrayInputStream(packed));
            assertEquals(c, detected.compression());
            try (InputStream back = detected.compression().decompress(detected.stream())) {
                assertArrayEquals(plain, back.readAllBytes(), c.flag());
            }
        }
    }

    @Test
    void zstdTakesLevelsOneToTwentyWithThreeAsDefault() throws Exception {
        byte[] plain = BlockGzipInputStreamTest.mixed(3_000_000, 12);
        byte[] byDefault = Compression.ZSTD.compressing(new ByteArrayInputStream(plain), null).readAllBytes();
        byte[] three = Compression.ZSTD.compressing(new ByteArrayInputStream(plain), 3).readAllBytes();
        assertArrayEquals(three, byDefault, "the default is level 3");
        for (int level : new int[] {1, 20}) {
            byte[] packed = Compression.ZSTD.compressing(new ByteArrayInputStream(plain), level).readAllBytes();
            try (InputStream back = Compression.ZSTD.decompress(new ByteArrayInputStream(packed))) {
                assertArrayEquals(plain, back.readAllBytes(), "level " + level);
            }
        }
        for (int level : new int[] {0, 21}) {
            HoistException e = assertThrows(HoistException.class,
                    () -> Compression.ZSTD.compressing(new ByteArrayInputStream(plain), level));
            assertEquals(HoistException.USAGE, e.exitStatus(), e.getMessage());
        }
        assertThrows(HoistException.class, () -> Compression.GZIP.compressing(new ByteArrayInputStream(plain), 10));
    }
}
