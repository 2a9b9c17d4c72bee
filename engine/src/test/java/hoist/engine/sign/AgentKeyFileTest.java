package hoist.engine.sign;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Binary values gpg wrote as quoted strings become hex; numbers, timestamps and the old format stay as they are. */
class AgentKeyFileTest {

    private static String rewrite(String file) {
        return new String(AgentKeyFile.withBinaryStringsAsHex(file.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aSaltWrittenAsAQuotedStringBecomesHex() {
        String file = "Created: 20261129T191432\nKey: (protected-private-key (rsa (e\n  #010001#)(protected openpgp-s2k3-ocb-aes ((sha1 \"0\u00ff\\'\\t\\x01\\101\"\n"
                + "  \"129470464\")#1C09#)#F8BA#)(protected-at\n  \"20261129T191432\")))\n";
        assertEquals("Created: 20261129T191432\nKey: (protected-private-key (rsa (e\n  #010001#)(protected openpgp-s2k3-ocb-aes ((sha1 #30FF27090141#\n"
                + "  \"129470464\")#1C09#)#F8BA#)(protected-at\n  \"20261129T191432\")))\n", rewrite(file));
    }

    @Test
    void theCanonicalFormatAndOtherHeadersAreLeftAlone() {
        byte[] canonical = "(21:protected-private-key(3:rsa(1:e3:\"\"\"))".getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals(canonical, AgentKeyFile.withBinaryStringsAsHex(canonical));
        String file = "Key: (private-key (ecc (curve \"Ed25519\")(q #40AB#)))\nLabel: \"a \\x01 label\"\n";
        assertEquals(file, rewrite(file));
        String printableSalt = "Key: (protected-private-key (rsa (protected openpgp-s2k3-sha1-aes-cbc ((sha1 \"abcdefgh\" \"65536\")#00#)#00#)))\n";
        assertEquals("Key: (protected-private-key (rsa (protected openpgp-s2k3-sha1-aes-cbc ((sha1 #6162636465666768# \"65536\")#00#)#00#)))\n",
                rewrite(printableSalt));
    }
}
