package hoist.engine.image;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The digest a registry gives a manifest: the SHA-256 of its bytes, except for a signed Docker
 * schema 1 manifest (a JSON web signature), whose digest is that of the payload the signatures
 * cover, without them.
 *
 * @see <a href="https://github.com/distribution/distribution/blob/main/docs/content/spec/deprecated-schema-v1.md">schema 1 signed manifests</a>
 */
public final class ManifestDigest {

    private ManifestDigest() {
    }

    /**
     * The digest of {@code manifest} (any manifest or list, as bytes).
     *
     * @throws InvalidManifestException when a signed schema 1 manifest's signature header does not
     *                                  describe its payload
     */
    public static Digest of(byte[] manifest) {
        JsonNode json;
        try {
            json = Json.read(manifest);
        } catch (IOException e) {
            return Digest.sha256(manifest); // not JSON: the bytes are what a registry would hash
        }
        JsonNode signatures = json == null ? null : json.path("signatures");
        if (signatures == null || !signatures.isArray() || signatures.isEmpty()
                || !signatures.get(0).path("protected").isTextual()) {
            return Digest.sha256(manifest);
        }
        return Digest.sha256(signedPayload(manifest, signatures.get(0).path("protected").asText()));
    }

    /**
     * The payload: the manifest's first {@code formatLength} bytes, then {@code formatTail}, both
     * from the signature's protected header (base64url JSON).
     */
    private static byte[] signedPayload(byte[] manifest, String protectedHeader) {
        try {
            JsonNode header = Json.read(Base64.getUrlDecoder().decode(pad(protectedHeader)));
            int length = header.path("formatLength").asInt(-1);
            byte[] tail = Base64.getUrlDecoder().decode(pad(header.path("formatTail").asText("")));
            if (length < 0 || length > manifest.length) {
                throw new InvalidManifestException("signed schema 1 manifest: formatLength " + length
                        + " does not fit its " + manifest.length + " bytes");
            }
            byte[] payload = Arrays.copyOf(manifest, length + tail.length);
            System.arraycopy(tail, 0, payload, length, tail.length);
            return payload;
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidManifestException("signed schema 1 manifest: unreadable protected header", e);
        }
    }

    private static String pad(String base64) {
        return base64 + "=".repeat((4 - base64.length() % 4) % 4);
    }
}
