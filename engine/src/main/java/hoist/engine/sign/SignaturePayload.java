package hoist.engine.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.image.Digest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;

/**
 * What a simple-signing or sigstore signature says: that the manifest with {@code manifestDigest}
 * is the image named {@code dockerReference}. Serialized as the JSON object
 * {@code {"critical":{"identity":{"docker-reference":…},"image":{"docker-manifest-digest":…},"type":…},
 * "optional":{"creator":…,"timestamp":…}}}.
 *
 * @param type            {@link #SIMPLE_SIGNING_TYPE} or {@link #SIGSTORE_TYPE}
 * @param dockerReference the signed identity, a full Docker reference ({@code registry/path:tag})
 * @param manifestDigest  the digest of the signed manifest
 * @param creator         the program that made it, or null
 * @param timestamp       seconds since the Unix epoch when it was made, or null
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-signature.5.md">containers-signature(5)</a>
 */
public record SignaturePayload(String type, String dockerReference, Digest manifestDigest, String creator, Long timestamp) {

    /** {@code critical.type} of simple signing. */
    public static final String SIMPLE_SIGNING_TYPE = "atomic container signature";
    /** {@code critical.type} of cosign's (sigstore's) signatures. */
    public static final String SIGSTORE_TYPE = "cosign container image signature";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JSON bytes to be signed. */
    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode critical = root.putObject("critical");
        critical.putObject("identity").put("docker-reference", dockerReference);
        critical.putObject("image").put("docker-manifest-digest", manifestDigest.toString());
        critical.put("type", type);
        ObjectNode optional = root.putObject("optional");
        if (creator != null) {
            optional.put("creator", creator);
        }
        if (timestamp != null) {
            optional.put("timestamp", timestamp);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Parses a payload as strictly as containers/image does: {@code critical} and its objects must
     * hold exactly the fields named above, with {@code type} equal to {@code expectedType}.
     *
     * @throws InvalidSignatureException naming what is wrong
     */
    public static SignaturePayload parse(byte[] json, String expectedType) {
        JsonNode root;
        try {
            root = JSON.readTree(new String(json, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InvalidSignatureException("the signed payload is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidSignatureException("the signed payload is not a JSON object");
        }
        onlyFields(root, Set.of("critical", "optional"), Set.of("critical"), "");
        JsonNode critical = root.get("critical");
        onlyFields(critical, Set.of("type", "image", "identity"), Set.of("type", "image", "identity"), "critical.");
        JsonNode image = critical.get("image");
        onlyFields(image, Set.of("docker-manifest-digest"), Set.of("docker-manifest-digest"), "critical.image.");
        JsonNode identity = critical.get("identity");
        onlyFields(identity, Set.of("docker-reference"), Set.of("docker-reference"), "critical.identity.");
        String type = text(critical, "type", "critical.");
        if (!type.equals(expectedType)) {
            throw new InvalidSignatureException("unexpected signature type \"" + type + "\"");
        }
        Digest digest;
        try {
            digest = Digest.parse(text(image, "docker-manifest-digest", "critical.image."));
        } catch (IllegalArgumentException e) {
            throw new InvalidSignatureException("critical.image.docker-manifest-digest: " + e.getMessage());
        }
        String reference = text(identity, "docker-reference", "critical.identity.");
        String creator = null;
        Long timestamp = null;
        JsonNode optional = root.get("optional");
        if (optional != null) {
            if (!optional.isObject()) {
                throw new InvalidSignatureException("optional is not a JSON object");
            }
            if (optional.has("creator")) {
                creator = text(optional, "creator", "optional.");
            }
            if (optional.has("timestamp")) {
                if (!optional.get("timestamp").canConvertToLong()) {
                    throw new InvalidSignatureException("optional.timestamp is not an integer");
                }
                timestamp = optional.get("timestamp").asLong();
            }
        }
        return new SignaturePayload(type, reference, digest, creator, timestamp);
    }

    private static void onlyFields(JsonNode node, Set<String> allowed, Set<String> required, String prefix) {
        if (node == null || !node.isObject()) {
            throw new InvalidSignatureException(prefix.isEmpty() ? "not a JSON object" : prefix.substring(0, prefix.length() - 1) + " is not a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidSignatureException("unexpected field " + prefix + name + " in the signed payload");
            }
        }
        for (String name : required) {
            if (!node.has(name)) {
                throw new InvalidSignatureException("the signed payload has no " + prefix + name);
            }
        }
    }

    private static String text(JsonNode node, String field, String prefix) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new InvalidSignatureException(prefix + field + " is not a string");
        }
        return value.asText();
    }
}
