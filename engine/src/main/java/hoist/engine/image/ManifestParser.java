package hoist.engine.image;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads manifest bytes into a {@link Manifest}, validating what the OCI image specification
 * and Docker's schema2 require; every error names the field at fault.
 */
final class ManifestParser {

    /** RFC 6838 type/subtype, as the OCI specification constrains media types. */
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

    private ManifestParser() {
    }

    static Manifest parse(byte[] raw, String mediaTypeHint) {
        JsonNode root;
        try {
            root = Json.read(raw);
        } catch (IOException e) {
            throw new InvalidManifestException("manifest is not valid JSON: " + Json.problem(e));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidManifestException("manifest is not a JSON object");
        }
        String mediaType = mediaTypeOf(root, mediaTypeHint);
        requireSchemaVersion(root, mediaType);
        return switch (mediaType) {
            case MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST -> imageManifest(raw, root, mediaType);
            case MediaTypes.OCI_INDEX, MediaTypes.DOCKER_LIST -> list(raw, root, mediaType);
            default -> throw new InvalidManifestException("unsupported manifest media type \"" + mediaType + "\"");
        };
    }

    private static String mediaTypeOf(JsonNode root, String hint) {
        JsonNode field = root.get("mediaType");
        if (field != null && !field.isTextual()) {
            throw new InvalidManifestException("manifest field \"mediaType\" must be a string");
        }
        String declared = field == null ? null : field.asText();
        if (declared != null) {
            if (hint != null && !hint.isEmpty() && isManifestType(hint) && !hint.equals(declared)) {
                throw new InvalidManifestException("manifest field \"mediaType\" is \"" + declared
                        + "\" but the manifest was served as \"" + hint + "\"");
            }
            return declared;
        }
        if (root.path("schemaVersion").asInt() == 1) {
            throw new InvalidManifestException(
                    "this is a Docker schema 1 manifest, which is read only to be converted: copy the image (hoist copy SOURCE oci:DIR) and use the copy");
        }
        if (hint != null && !hint.isEmpty() && isManifestType(hint)) {
            if (!MediaTypes.isOci(hint)) {
                throw new InvalidManifestException("manifest field \"mediaType\" is required for " + hint);
            }
            return hint;
        }
        // An OCI manifest may omit mediaType; its shape says what it is.
        if (root.has("manifests") && !root.has("config")) {
            return MediaTypes.OCI_INDEX;
        }
        if (root.has("config")) {
            return MediaTypes.OCI_MANIFEST;
        }
        throw new InvalidManifestException("manifest has no \"mediaType\" and is neither an image manifest nor an index");
    }

    private static boolean isManifestType(String mediaType) {
        return MediaTypes.ALL_MANIFESTS.contains(mediaType);
    }

    private static void requireSchemaVersion(JsonNode root, String mediaType) {
        JsonNode version = root.get("schemaVersion");
        if (version == null) {
            throw new InvalidManifestException("manifest field \"schemaVersion\" is missing");
        }
        if (!version.isInt() || version.asInt() != 2) {
            throw new InvalidManifestException("manifest field \"schemaVersion\" must be 2 for " + mediaType + ", got " + version);
        }
    }

    private static ImageManifest imageManifest(byte[] raw, JsonNode root, String mediaType) {
        JsonNode configNode = root.get("config");
        if (configNode == null || !configNode.isObject()) {
            throw new InvalidManifestException("manifest field \"config\" is missing or not an object");
        }
        Descriptor config = descriptor(configNode, "config", false);
        JsonNode layersNode = root.get("layers");
        if (layersNode == null || !layersNode.isArray()) {
            throw new InvalidManifestException("manifest field \"layers\" is missing or not an array");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (int i = 0; i < layersNode.size(); i++) {
            layers.add(descriptor(layersNode.get(i), "layers[" + i + "]", false));
        }
        if (mediaType.equals(MediaTypes.DOCKER_MANIFEST)) {
            for (int i = 0; i < layers.size(); i++) {
                requireDockerLayerType(layers.get(i).mediaType(), i);
            }
        }
        Descriptor subject = root.has("subject") ? descriptor(root.get("subject"), "subject", false) : null;
        return new ImageManifest(raw, mediaType, config, layers, annotations(root, "annotations"), subject,
                optionalText(root, "artifactType"));
    }

    private static void requireDockerLayerType(String mediaType, int index) {
        if (MediaTypes.isOci(mediaType)) {
            throw new InvalidManifestException("manifest field \"layers[" + index + "].mediaType\" is the OCI type \""
                    + mediaType + "\" inside a Docker schema2 manifest");
        }
    }

    private static ManifestList list(byte[] raw, JsonNode root, String mediaType) {
        JsonNode entries = root.get("manifests");
        if (entries == null || !entries.isArray()) {
            throw new InvalidManifestException("manifest list field \"manifests\" is missing or not an array");
        }
        List<Descriptor> manifests = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            manifests.add(descriptor(entries.get(i), "manifests[" + i + "]", true));
        }
        Descriptor subject = root.has("subject") ? descriptor(root.get("subject"), "subject", false) : null;
        return new ManifestList(raw, mediaType, manifests, annotations(root, "annotations"), subject,
                optionalText(root, "artifactType"));
    }

    static Descriptor descriptor(JsonNode node, String field, boolean withPlatform) {
        if (node == null || !node.isObject()) {
            throw new InvalidManifestException("manifest field \"" + field + "\" must be an object");
        }
        String mediaType = requiredText(node, field + ".mediaType");
        if (!MEDIA_TYPE.matcher(mediaType).matches()) {
            throw new InvalidManifestException("manifest field \"" + field + ".mediaType\" is not a media type: \"" + mediaType + "\"");
        }
        String digestText = requiredText(node, field + ".digest");
        Digest digest;
        try {
            digest = Digest.parse(digestText);
        } catch (IllegalArgumentException e) {
            throw new InvalidManifestException("manifest field \"" + field + ".digest\": " + e.getMessage());
        }
        JsonNode sizeNode = node.get("size");
        if (sizeNode == null || !sizeNode.isIntegralNumber() || !sizeNode.canConvertToLong() || sizeNode.asLong() < 0) {
            throw new InvalidManifestException("manifest field \"" + field + ".size\" must be a non-negative integer");
        }
        List<String> urls = new ArrayList<>();
        JsonNode urlsNode = node.get("urls");
        if (urlsNode != null) {
            if (!urlsNode.isArray()) {
                throw new InvalidManifestException("manifest field \"" + field + ".urls\" must be an array");
            }
            urlsNode.forEach(u -> urls.add(u.asText()));
        }
        Platform platform = withPlatform && node.has("platform") ? platform(node.get("platform"), field + ".platform") : null;
        return new Descriptor(mediaType, digest, sizeNode.asLong(), urls, annotations(node, field + ".annotations"),
                platform, optionalText(node, "artifactType"));
    }

    private static Platform platform(JsonNode node, String field) {
        if (!node.isObject()) {
            throw new InvalidManifestException("manifest field \"" + field + "\" must be an object");
        }
        List<String> features = new ArrayList<>();
        node.path("os.features").forEach(f -> features.add(f.asText()));
        return new Platform(requiredText(node, field + ".os"), requiredText(node, field + ".architecture"),
                optionalText(node, "variant"), optionalText(node, "os.version"), features);
    }

    private static Map<String, String> annotations(JsonNode parent, String field) {
        String leaf = field.substring(field.lastIndexOf('.') + 1);
        JsonNode node = parent.get(leaf);
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidManifestException("manifest field \"" + field + "\" must be an object of strings");
        }
        Map<String, String> result = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw new InvalidManifestException("manifest field \"" + field + "." + e.getKey() + "\" must be a string");
            }
            result.put(e.getKey(), e.getValue().asText());
        });
        return result;
    }

    private static String requiredText(JsonNode node, String path) {
        String leaf = path.substring(path.lastIndexOf('.') + 1);
        JsonNode value = node.get(leaf);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new InvalidManifestException("manifest field \"" + path + "\" is missing or not a string");
        }
        return value.asText();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
