package hoist.engine.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sigstore signatures kept beside simple ones, in containers/image's tagged blob format. */
class SignatureBlobsTest {

    private static final SigstoreSigner.SigstoreSignature SIGNATURE =
            new SigstoreSigner.SigstoreSignature("{\"critical\":{}}".getBytes(StandardCharsets.UTF_8), "MEUCIQ==");

    @Test
    void aSigstoreSignatureIsTaggedAndItsJsonCarriesPayloadAndAnnotation() throws Exception {
        byte[] blob = SignatureBlobs.of(SIGNATURE);
        String text = new String(blob, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("\0sigstore-json\n"), text);
        JsonNode json = new ObjectMapper().readTree(text.substring("\0sigstore-json\n".length()));
        assertEquals("application/vnd.dev.cosign.simplesigning.v1+json", json.path("mimeType").asText());
        assertArrayEquals(SIGNATURE.payload(), Base64.getDecoder().decode(json.path("payload").asText()));
        assertEquals("MEUCIQ==", json.path("annotations").path("dev.cosignproject.cosign/signature").asText());

        SigstoreSigner.SigstoreSignature back = SignatureBlobs.parseSigstore(blob);
        assertArrayEquals(SIGNATURE.payload(), back.payload());
        assertEquals(SIGNATURE.signature(), back.signature());
    }

    @Test
    void aListIsSplitIntoSimpleAndSigstoreSignaturesInOrder() {
        byte[] simple = {(byte) 0x90, 0x0d, 0x03};
        byte[] unknown = "\0other-format\n{}".getBytes(StandardCharsets.ISO_8859_1);
        byte[] broken = "\0sigstore-json\nnot json".getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> all = List.of(simple, SignatureBlobs.of(SIGNATURE), unknown, broken);
        assertEquals(1, SignatureBlobs.simple(all).size());
        assertArrayEquals(simple, SignatureBlobs.simple(all).get(0));
        assertEquals(1, SignatureBlobs.sigstore(all).size(), "a sigstore signature that does not parse accepts nothing");
        assertFalse(SignatureBlobs.isSigstore(unknown));
        assertTrue(SignatureBlobs.isTagged(unknown));
        assertThrows(InvalidSignatureException.class, () -> SignatureBlobs.parseSigstore(broken));
    }
}
