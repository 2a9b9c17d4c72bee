package hoist.engine.compress;

import hoist.engine.HoistException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpansionLimitTest {

    /** {@code count} zero bytes, made as they are read. */
    private static InputStream zeros(long count) {
        return new InputStream() {
            private long left = count;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                java.util.Arrays.fill(buffer, offset, offset + n, (byte) 0);
                left -= n;
                return n;
            }
        };
    }

    @Test
    void aBlobMayExpandToTheFloorPlusFiveHundredTimesItsStoredSize() throws IOException {
        assertEquals(64L << 20, ExpansionLimit.allowed(0));
        assertEquals((64L << 20) + 500 * 1000, ExpansionLimit.allowed(1000));
        assertEquals(Long.MAX_VALUE, ExpansionLimit.allowed(Long.MAX_VALUE / 2), "no overflow");
        long allowed = ExpansionLimit.allowed(1000);
        try (InputStream in = new ExpansionLimit(zeros(allowed), 1000, () -> 0, "layer x")) {
            assertEquals(allowed, in.transferTo(OutputStream.nullOutputStream()));
        }
    }

    @Test
    void oneByteMoreIsRefusedNamingTheBlob() {
        long allowed = ExpansionLimit.allowed(1000);
        HoistException e = assertThrows(HoistException.class, () -> {
            try (InputStream in = new ExpansionLimit(zeros(allowed + 1), 1000, () -> 0, "layer sha256:abc")) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        });
        assertTrue(e.getMessage().startsWith("layer sha256:abc expands to more than " + allowed + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("decompression bomb"), e.getMessage());
    }

    @Test
    void anUnknownStoredSizeIsTakenFromTheBytesReadSoFar() throws IOException {
        long read = 10_000;
        long allowed = ExpansionLimit.allowed(read);
        try (InputStream in = new ExpansionLimit(zeros(allowed), -1, () -> read, "layer y")) {
            assertEquals(allowed, in.transferTo(OutputStream.nullOutputStream()));
        }
        assertThrows(HoistException.class, () -> {
            try (InputStream in = new ExpansionLimit(zeros(allowed + 1), -1, () -> read, "layer y")) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        });
    }
}
