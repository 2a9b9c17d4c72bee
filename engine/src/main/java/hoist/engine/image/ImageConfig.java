package hoist.engine.image;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An image configuration (OCI and Docker share the shape), with its raw bytes kept: the config's
 * digest is the image ID.
 */
public record ImageConfig(byte[] raw, JsonNode json) {

    public static ImageConfig parse(byte[] raw) {
        JsonNode node;
        try {
            node = Json.read(raw);
        } catch (IOException e) {
            throw new InvalidManifestException("image config is not valid JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (node == null || !node.isObject()) {
            throw new InvalidManifestException("image config is not a JSON object");
        }
        JsonNode rootfs = node.get("rootfs");
        if (rootfs != null && !rootfs.path("diff_ids").isMissingNode() && !rootfs.path("diff_ids").isArray()) {
            throw new InvalidManifestException("image config field \"rootfs.diff_ids\" must be an array");
        }
        return new ImageConfig(raw, node);
    }

    public Digest digest() {
        return Digest.sha256(raw);
    }

    public String os() {
        return json.path("os").asText("");
    }

    public String architecture() {
        return json.path("architecture").asText("");
    }

    public String variant() {
        String v = json.path("variant").asText("");
        return v.isEmpty() ? null : v;
    }

    public Platform platform() {
        return new Platform(os(), architecture(), variant());
    }

    /** When the image was made, as the config says (RFC 3339), or null. */
    public String created() {
        JsonNode created = json.get("created");
        return created == null || created.isNull() ? null : created.asText();
    }

    /** The uncompressed digests of the layers, in order. */
    public List<Digest> diffIds() {
        List<Digest> ids = new ArrayList<>();
        JsonNode array = json.path("rootfs").path("diff_ids");
        for (int i = 0; i < array.size(); i++) {
            try {
                ids.add(Digest.parse(array.get(i).asText()));
            } catch (IllegalArgumentException e) {
                throw new InvalidManifestException("image config field \"rootfs.diff_ids[" + i + "]\": " + e.getMessage());
            }
        }
        return ids;
    }

    public JsonNode history() {
        return json.path("history");
    }

    public JsonNode containerConfig() {
        return json.path("config");
    }
}
