package hoist.engine.copy;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;
import hoist.engine.image.MediaTypes;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What an image's config says its layers hold, uncompressed: {@code rootfs.diff_ids}, one per
 * layer, in order. An image config (OCI or Docker media type) must be a JSON object; a config of
 * another media type (an artifact's) promises nothing, and its layers are not checked. The list is
 * read only when a copy decompresses a layer, so a copy that moves bytes unchanged never fails on it.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/config.md">OCI image config: rootfs</a>
 */
final class ConfigDiffIds {

    private static final ConfigDiffIds NONE = new ConfigDiffIds(null, null, 0, null);

    private final JsonNode config;
    private final String what;
    private final int layers;
    private List<Digest> diffIds;

    private ConfigDiffIds(JsonNode config, String what, int layers, List<Digest> diffIds) {
        this.config = config;
        this.what = what;
        this.layers = layers;
        this.diffIds = diffIds;
    }

    /** Nothing to check against: an image without a config of its own (schema 1) or an artifact. */
    static ConfigDiffIds none() {
        return NONE;
    }

    /**
     * The diff IDs of the config {@code bytes} (described by {@code config}) of an image of {@code layers} layers.
     *
     * @param what names the config in errors ("config sha256:... of oci:/tmp/x:1")
     * @throws HoistException when an image config is not a JSON object
     */
    static ConfigDiffIds of(Descriptor config, byte[] bytes, int layers, String what) {
        if (!MediaTypes.OCI_CONFIG.equals(config.mediaType()) && !MediaTypes.DOCKER_CONFIG.equals(config.mediaType())) {
            return NONE;
        }
        JsonNode json;
        try {
            json = Json.read(bytes);
        } catch (IOException e) {
            throw new HoistException(what + " is not valid JSON: " + Json.problem(e));
        }
        if (json == null || !json.isObject()) {
            throw new HoistException(what + " is not a JSON object");
        }
        return new ConfigDiffIds(json, what, layers, null);
    }

    /**
     * The diff ID of layer {@code index}, or null when there is nothing to check against.
     *
     * @throws HoistException when the config's {@code rootfs.diff_ids} is missing, malformed, or
     *                        does not list one diff ID per layer
     */
    synchronized Digest forLayer(int index) {
        if (config == null) {
            return null;
        }
        if (diffIds == null) {
            diffIds = read();
        }
        return diffIds.get(index);
    }

    private List<Digest> read() {
        JsonNode list = config.path("rootfs").path("diff_ids");
        if (!list.isArray()) {
            throw new HoistException(what + " has no rootfs.diff_ids list");
        }
        if (list.size() != layers) {
            throw new HoistException(what + " lists " + list.size() + " diff IDs in rootfs.diff_ids, but the manifest has "
                    + layers + " layers");
        }
        List<Digest> digests = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            try {
                digests.add(Digest.parse(list.get(i).asText("")));
            } catch (HoistException | IllegalArgumentException e) {
                throw new HoistException(what + ": rootfs.diff_ids[" + i + "] is not a digest: " + list.get(i));
            }
        }
        return digests;
    }
}
