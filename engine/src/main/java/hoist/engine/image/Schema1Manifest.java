package hoist.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Docker image manifest of schema version 1 ({@code application/vnd.docker.distribution.manifest.v1+json},
 * and {@code +prettyjws} when signed with a JSON web signature), read to be converted: it has no
 * config blob, only a history of v1 image JSON ({@code v1Compatibility}, newest first) beside its
 * layers ({@code fsLayers}, newest first, one per history entry). The config of the converted
 * image is rebuilt from the newest entry, with a history made from all of them and the diff IDs of
 * the layers that are not empty ({@code throwaway}), oldest first, as Docker converts it.
 *
 * @param raw             the bytes as read (with the signatures, if any)
 * @param mediaType       the media type they were served with, or the unsigned one when unknown
 * @param fsLayers        the layers' digests, newest first, as the manifest lists them
 * @param v1Compatibility each history entry's v1 image JSON, parsed, newest first; as many as {@code fsLayers}
 * @see <a href="https://github.com/distribution/distribution/blob/main/docs/content/spec/deprecated-schema-v1.md">Docker image manifest version 2, schema 1</a>
 */
public record Schema1Manifest(byte[] raw, String mediaType, List<Digest> fsLayers, List<ObjectNode> v1Compatibility) {

    /** Fields of the v1 image JSON that describe the v1 layer chain, not the image: left out of the config. */
    private static final Set<String> V1_ONLY = Set.of("id", "parent", "Size", "parent_id", "layer_id", "throwaway");

    public Schema1Manifest {
        fsLayers = List.copyOf(fsLayers);
        v1Compatibility = List.copyOf(v1Compatibility);
    }

    /** Whether {@code raw} (served as {@code mediaType}, which may be null) is a schema 1 manifest. */
    public static boolean isSchema1(byte[] raw, String mediaType) {
        if (MediaTypes.DOCKER_SCHEMA1.equals(mediaType) || MediaTypes.DOCKER_SCHEMA1_SIGNED.equals(mediaType)) {
            return true;
        }
        if (mediaType != null && MediaTypes.ALL_MANIFESTS.contains(mediaType)) {
            return false;
        }
        try {
            JsonNode root = Json.read(raw);
            return root != null && root.path("schemaVersion").asInt() == 1 && !root.has("mediaType");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Parses schema 1 bytes.
     *
     * @throws InvalidManifestException naming the field at fault
     */
    public static Schema1Manifest parse(byte[] raw, String mediaType) {
        JsonNode root;
        try {
            root = Json.read(raw);
        } catch (IOException e) {
            throw new InvalidManifestException("schema 1 manifest is not valid JSON");
        }
        if (root == null || !root.isObject() || root.path("schemaVersion").asInt() != 1) {
            throw new InvalidManifestException("manifest field \"schemaVersion\" must be 1 for a schema 1 manifest");
        }
        JsonNode layers = root.path("fsLayers");
        JsonNode history = root.path("history");
        if (!layers.isArray() || layers.isEmpty()) {
            throw new InvalidManifestException("schema 1 manifest field \"fsLayers\" is missing or empty");
        }
        if (!history.isArray() || history.size() != layers.size()) {
            throw new InvalidManifestException("schema 1 manifest has " + layers.size() + " fsLayers but "
                    + (history.isArray() ? history.size() : 0) + " history entries; they must match");
        }
        List<Digest> digests = new ArrayList<>();
        List<ObjectNode> images = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            try {
                digests.add(Digest.parse(layers.get(i).path("blobSum").asText("")));
            } catch (IllegalArgumentException e) {
                throw new InvalidManifestException("schema 1 manifest field \"fsLayers[" + i + "].blobSum\": " + e.getMessage());
            }
            JsonNode v1;
            try {
                v1 = Json.read(history.get(i).path("v1Compatibility").asText("").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                v1 = null;
            }
            if (!(v1 instanceof ObjectNode object)) {
                throw new InvalidManifestException("schema 1 manifest field \"history[" + i + "].v1Compatibility\" is not a JSON object");
            }
            images.add(object);
        }
        String type = mediaType != null && !mediaType.isEmpty() && MediaTypes.ALL_MANIFESTS.contains(mediaType) ? mediaType
                : root.has("signatures") ? MediaTypes.DOCKER_SCHEMA1_SIGNED : MediaTypes.DOCKER_SCHEMA1;
        return new Schema1Manifest(raw, type, digests, images);
    }

    /** The digest a registry gives this manifest (of the payload, without the signatures). */
    public Digest digest() {
        return ManifestDigest.of(raw);
    }

    /** Whether history entry {@code i} (newest first) made no layer: its blob is an empty tar, left out of the image. */
    public boolean isEmptyLayer(int i) {
        return v1Compatibility.get(i).path("throwaway").asBoolean(false);
    }

    /** The digests of the layers that carry content, oldest first: the converted image's layers. */
    public List<Digest> layers() {
        List<Digest> layers = new ArrayList<>();
        for (int i = fsLayers.size() - 1; i >= 0; i--) {
            if (!isEmptyLayer(i)) {
                layers.add(fsLayers.get(i));
            }
        }
        return layers;
    }

    /** The platform the newest v1 image JSON names. */
    public Platform platform() {
        ObjectNode top = v1Compatibility.get(0);
        String variant = top.path("variant").asText("");
        return new Platform(top.path("os").asText("linux"), top.path("architecture").asText("amd64"),
                variant.isEmpty() ? null : variant);
    }

    /**
     * The image config of the converted image: the newest v1 image JSON without its v1-only fields
     * ({@code id}, {@code parent}, {@code Size}, {@code throwaway}...), with {@code history} made
     * from every entry, oldest first ({@code created_by} is the entry's
     * {@code container_config.Cmd} joined by spaces; empty layers are marked {@code empty_layer}),
     * and {@code rootfs.diff_ids} = {@code diffIds}. Top-level keys are sorted, as Docker writes them.
     *
     * @param diffIds the uncompressed digests of {@link #layers()}, in that order
     * @throws IllegalArgumentException when there are not as many diff IDs as layers
     */
    public byte[] config(List<Digest> diffIds) {
        if (diffIds.size() != layers().size()) {
            throw new IllegalArgumentException(diffIds.size() + " diff IDs for " + layers().size() + " layers");
        }
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        Map<String, JsonNode> fields = new TreeMap<>();
        v1Compatibility.get(0).fields().forEachRemaining(e -> {
            if (!V1_ONLY.contains(e.getKey())) {
                fields.put(e.getKey(), e.getValue());
            }
        });
        ArrayNode history = nodes.arrayNode();
        for (int i = v1Compatibility.size() - 1; i >= 0; i--) {
            history.add(historyEntry(v1Compatibility.get(i), isEmptyLayer(i)));
        }
        ObjectNode rootfs = nodes.objectNode();
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        diffIds.forEach(d -> ids.add(d.toString()));
        fields.put("history", history);
        fields.put("rootfs", rootfs);
        ObjectNode config = nodes.objectNode();
        fields.forEach(config::set);
        return Json.write(config);
    }

    private static ObjectNode historyEntry(ObjectNode v1, boolean empty) {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        if (v1.hasNonNull("created")) {
            entry.put("created", v1.get("created").asText());
        }
        if (!v1.path("author").asText("").isEmpty()) {
            entry.put("author", v1.get("author").asText());
        }
        List<String> cmd = new ArrayList<>();
        v1.path("container_config").path("Cmd").forEach(c -> cmd.add(c.asText()));
        if (!cmd.isEmpty()) {
            entry.put("created_by", String.join(" ", cmd));
        }
        if (!v1.path("comment").asText("").isEmpty()) {
            entry.put("comment", v1.get("comment").asText());
        }
        if (empty) {
            entry.put("empty_layer", true);
        }
        return entry;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schema1Manifest other && java.util.Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "Schema1Manifest[" + mediaType + " " + digest() + "]";
    }
}
