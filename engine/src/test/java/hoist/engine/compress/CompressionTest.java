package hoist.engine.compress;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CompressionTest {

    @Test
    void compressingStreamRoundTripsAndIsDetectedByMagicBytes() throws Exception {
        byte[] plain = new byte[1_000_000];
        new Random(1).nextBytes(plain);
        for (int i = 0; i < plain.length; i += 3) {
            plain[i] = 0; // partly compressible
        }
        for (Compression c : Compression.values()) {
            byte[] packed = new CompressingInputStream(new ByteArrayInputStream(plain), c, null).readAllBytes();
            Compression.Detected detected = Compression.detect(new ByteArrayInputStream(packed));
            assertEquals(c, detected.compression());
            try (InputStream back = detected.compression().decompress(detected.stream())) {
                assertArrayEquals(plain, back.readAllBytes(), c.flag());
            }
        }
    }
}
