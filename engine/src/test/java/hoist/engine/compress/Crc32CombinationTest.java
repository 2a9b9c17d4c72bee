package hoist.engine.compress;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Crc32CombinationTest {

    @Test
    void combinedCrcEqualsTheCrcOfTheConcatenation() {
        Random random = new Random(7);
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        random.nextBytes(data);
        int[] cuts = {0, 1, 100, 32 * 1024, 1024 * 1024, data.length - 1, data.length};
        int whole = crc(data, 0, data.length);
        for (int cut : cuts) {
            int a = crc(data, 0, cut);
            int b = crc(data, cut, data.length - cut);
            assertEquals(whole, Crc32Combination.combine(a, b, data.length - cut), "cut at " + cut);
        }
    }

    @Test
    void manyPiecesCombineInOrder() {
        Random random = new Random(8);
        byte[] data = new byte[500_000];
        random.nextBytes(data);
        int combined = 0;
        for (int offset = 0; offset < data.length; offset += 12_345) {
            int length = Math.min(12_345, data.length - offset);
            combined = Crc32Combination.combine(combined, crc(data, offset, length), length);
        }
        assertEquals(crc(data, 0, data.length), combined);
    }

    private static int crc(byte[] data, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }
}
