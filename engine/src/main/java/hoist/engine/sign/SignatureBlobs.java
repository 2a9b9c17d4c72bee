package hoist.engine.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Signatures as containers/image keeps them where one list holds every kind ({@code dir:}'s
 * {@code signature-N} files, containers-storage's {@code signature-HEX} big-data): a simple
 * signature as its OpenPGP bytes, unchanged; any other as a zero byte, its format name, a newline
 * and its data. A sigstore signature's data is the JSON object
 * {@code {"mimeType":…,"payload":BASE64,"annotations":{…}}}, format name {@value #SIGSTORE_FORMAT}.
 *
 * @see <a href="https://github.com/containers/image/blob/main/internal/signature/signature.go">containers/image internal/signature</a>
 */
public final class SignatureBlobs {

    /** The format name of sigstore signatures. */
    static final String SIGSTORE_FORMAT = "sigstore-json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SignatureBlobs() {
    }

    /** Whether {@code blob} is a signature of a format other than simple signing (its first byte is zero). */
    public static boolean isTagged(byte[] blob) {
        return blob.length > 0 && blob[0] == 0;
    }

    /** Whether {@code blob} is a sigstore signature. */
    public static boolean isSigstore(byte[] blob) {
        String prefix = "\0" + SIGSTORE_FORMAT + "\n";
        if (blob.length < prefix.length()) {
            return false;
        }
        return new String(blob, 0, prefix.length(), StandardCharsets.ISO_8859_1).equals(prefix);
    }

    /** The simple signatures of {@code blobs}, in order. */
    public static List<byte[]> simple(List<byte[]> blobs) {
        return blobs.stream().filter(b -> !isTagged(b)).toList();
    }

    /** The sigstore signatures of {@code blobs}, in order; one that does not parse is left out (it cannot be trusted anyway). */
    public static List<SigstoreSigner.SigstoreSignature> sigstore(List<byte[]> blobs) {
        List<SigstoreSigner.SigstoreSignature> found = new ArrayList<>();
        for (byte[] blob : blobs) {
            if (isSigstore(blob)) {
                try {
                    found.add(parseSigstore(blob));
                } catch (InvalidSignatureException e) {
                    // an unreadable sigstore signature accepts nothing
                }
            }
        }
        return found;
    }

    /** {@code signature} as a blob: {@code \0sigstore-json\n} and its JSON. */
    public static byte[] of(SigstoreSigner.SigstoreSignature signature) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mimeType", SigstoreSigner.PAYLOAD_MEDIA_TYPE);
        node.put("payload", Base64.getEncoder().encodeToString(signature.payload()));
        node.putObject("annotations").put(SigstoreSigner.SIGNATURE_ANNOTATION, signature.signature());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes((SIGSTORE_FORMAT + "\n").getBytes(StandardCharsets.US_ASCII));
        try {
            out.writeBytes(JSON.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The sigstore signature in {@code blob}.
     *
     * @throws InvalidSignatureException when it is not one, or its JSON lacks the payload or the signature annotation
     */
    public static SigstoreSigner.SigstoreSignature parseSigstore(byte[] blob) {
        if (!isSigstore(blob)) {
            throw new InvalidSignatureException("not a sigstore signature");
        }
        int start = SIGSTORE_FORMAT.length() + 2;
        try {
            JsonNode node = JSON.readTree(new String(blob, start, blob.length - start, StandardCharsets.UTF_8));
            JsonNode signature = node.path("annotations").path(SigstoreSigner.SIGNATURE_ANNOTATION);
            if (!node.path("payload").isTextual() || !signature.isTextual()) {
                throw new InvalidSignatureException("a sigstore signature without its payload or " + SigstoreSigner.SIGNATURE_ANNOTATION);
            }
            return new SigstoreSigner.SigstoreSignature(Base64.getDecoder().decode(node.get("payload").asText()), signature.asText());
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidSignatureException("a sigstore signature that does not parse: " + e.getMessage());
        }
    }
}
