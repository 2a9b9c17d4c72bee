package hoist.engine.copy;

import hoist.engine.image.Digest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The diff ID of a layer from its stored bytes, fed in pieces of every size, whatever the gzip stream looks like. */
class UncompressedDigestTest {

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    /** Feeds {@code stored} in pieces of {@code piece} bytes. */
    private static Digest digest(byte[] stored, int piece) throws IOException {
        UncompressedDigest digest = new UncompressedDigest();
        for (int at = 0; at < stored.length; at += piece) {
            digest.update(stored, at, Math.min(piece, stored.length - at));
        }
        return digest.digest();
    }

    @Test
    void gzipIsInflatedWhateverThePieces() throws IOException {
        byte[] plain = random(300_000, 1);
        byte[] stored = gzip(plain);
        for (int piece : new int[] {1, 7, 4096, stored.length}) {
            assertEquals(Digest.sha256(plain), digest(stored, piece), "pieces of " + piece);
        }
    }

    @Test
    void severalMembersAndHeaderFieldsAreRead() throws IOException {
        byte[] first = random(50_000, 2);
        byte[] second = "the second member".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        stored.write(gzip(first));
        // a member with FEXTRA, FNAME, FCOMMENT and FHCRC, as RFC 1952 allows
        byte[] member = gzip(second);
        stored.write(new byte[] {0x1f, (byte) 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3});
        stored.write(new byte[] {3, 0, 'a', 'b', 'c'});
        stored.write("name\0comment\0".getBytes(StandardCharsets.ISO_8859_1));
        stored.write(new byte[] {0, 0});
        stored.write(member, 10, member.length - 10);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        plain.write(first);
        plain.write(second);
        for (int piece : new int[] {1, 3, 1000, stored.size()}) {
            assertEquals(Digest.sha256(plain.toByteArray()), digest(stored.toByteArray(), piece), "pieces of " + piece);
        }
    }

    @Test
    void bytesThatAreNotGzipAreAnUncompressedTar() throws IOException {
        byte[] tar = random(10_000, 3);
        tar[0] = 'a';
        assertEquals(Digest.sha256(tar), digest(tar, 333));
        assertEquals(Digest.sha256(new byte[] {'x'}), digest(new byte[] {'x'}, 1));
    }

    @Test
    void aStreamCutInsideAMemberIsAnError() throws IOException {
        byte[] stored = gzip(random(100_000, 4));
        byte[] cut = java.util.Arrays.copyOf(stored, stored.length / 2);
        assertThrows(IOException.class, () -> digest(cut, 4096));
    }
}
