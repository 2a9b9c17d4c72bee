package hoist.engine.image;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigestTest {

    @Test
    void parsesSha256AndSha512() {
        assertEquals("sha256", Digest.parse("sha256:" + "0".repeat(64)).algorithm());
        assertEquals("sha512", Digest.parse("sha512:" + "f".repeat(128)).algorithm());
        assertEquals("sha256:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb", Digest.sha256("a").toString());
    }

    @Test
    void refusesWhatCannotBeVerified() {
        assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:" + "0".repeat(63)));
        assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:" + "A".repeat(64)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Digest.parse("md5:abc"));
        assertTrue(e.getMessage().contains("unsupported"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Digest.parse("nocolon"));
    }
}
