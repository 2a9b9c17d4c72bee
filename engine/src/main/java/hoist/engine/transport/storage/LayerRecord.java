package hoist.engine.transport.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.image.Digest;

/**
 * One entry of {@code layers.json}, kept as the JSON object it was read as so that a rewrite
 * preserves fields this code does not know.
 *
 * @see <a href="https://github.com/containers/storage/blob/main/layers.go">containers/storage Layer</a>
 */
record LayerRecord(ObjectNode json) {

    String id() {
        return json.path("id").asText();
    }

    /** The parent layer's ID, or null for a bottom layer. */
    String parent() {
        String p = json.path("parent").asText("");
        return p.isEmpty() ? null : p;
    }

    /** The digest of the uncompressed tarball (the diff ID), or null when unknown. */
    Digest diffDigest() {
        return digest("diff-digest");
    }

    /** The uncompressed tarball's size in bytes, or -1 when unknown. */
    long diffSize() {
        return json.has("diff-size") ? json.path("diff-size").asLong() : -1;
    }

    /** The digest of the blob the layer was made from, or null. */
    Digest compressedDigest() {
        return digest("compressed-diff-digest");
    }

    boolean incomplete() {
        return json.path("flags").path("incomplete").asBoolean(false);
    }

    private Digest digest(String field) {
        String text = json.path(field).asText("");
        return text.isEmpty() ? null : Digest.parse(text);
    }
}
