package hoist.engine.compress;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Reading gzip through each engine: what the JDK's GZIPInputStream accepts, the native one does too. */
class GunzipTest {

    private static final List<DeflateEngine> ENGINES = List.of(DeflateEngine.current(), DeflateEngine.jdk());

    @Test
    void readsZlibsOutputInPiecesOfAnySize() throws IOException {
        byte[] plain = BlockGzipInputStreamTest.mixed(3_000_000, 21);
        byte[] packed = gzip(plain);
        for (DeflateEngine engine : ENGINES) {
            for (int piece : new int[] {1, 7, 4096, 1 << 20}) {
                if (piece == 1 && engine instanceof JdkDeflate) {
                    continue; // slow and no different there
                }
                assertArrayEquals(plain, readInPieces(engine.gunzip(new ByteArrayInputStream(packed)), piece),
                        engine.description() + ", pieces of " + piece);
            }
        }
    }

    @Test
    void membersFollowOneAnotherAndTrailingBytesAreIgnored() throws IOException {
        byte[] a = BlockGzipInputStreamTest.mixed(200_000, 1);
        byte[] b = BlockGzipInputStreamTest.mixed(300_000, 2);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        joined.write(gzip(a));
        joined.write(gzip(b));
        byte[] expected = concat(a, b);
        for (DeflateEngine engine : ENGINES) {
            try (InputStream in = engine.gunzip(new ByteArrayInputStream(joined.toByteArray()))) {
                assertArrayEquals(expected, in.readAllBytes(), engine.description());
            }
            byte[] padded = concat(joined.toByteArray(), new byte[1024]);
            try (InputStream in = engine.gunzip(new ByteArrayInputStream(padded))) {
                assertArrayEquals(expected, in.readAllBytes(), engine.description() + " with zeros after");
            }
        }
    }

    @Test
    void aWrongChecksumOrATruncatedStreamFails() throws IOException {
        byte[] packed = gzip(BlockGzipInputStreamTest.mixed(100_000, 4));
        byte[] badCrc = packed.clone();
        badCrc[badCrc.length - 6] ^= 1;
        byte[] truncated = Arrays.copyOf(packed, packed.length / 2);
        for (DeflateEngine engine : ENGINES) {
            assertThrows(ZipException.class, () -> engine.gunzip(new ByteArrayInputStream(badCrc)).readAllBytes(),
                    engine.description());
            assertThrows(EOFException.class, () -> engine.gunzip(new ByteArrayInputStream(truncated)).readAllBytes(),
                    engine.description());
        }
    }

    private static byte[] readInPieces(InputStream in, int piece) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[piece];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
