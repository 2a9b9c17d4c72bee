package hoist.engine.transport.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.image.Digest;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One entry of {@code images.json}, kept as its JSON object. Big-data items (manifest, config,
 * signatures) are files in {@code DRIVER-images/ID/}, named by their key where the key is made of
 * lower-case letters, digits and {@code .}, else {@code =} and the key in base64.
 *
 * @see <a href="https://github.com/containers/storage/blob/main/images.go">containers/storage Image</a>
 */
record ImageRecord(ObjectNode json) {

    private static final Pattern PLAIN_KEY = Pattern.compile("[a-z0-9.]+");

    String id() {
        return json.path("id").asText();
    }

    List<String> names() {
        List<String> names = new ArrayList<>();
        json.path("names").forEach(n -> names.add(n.asText()));
        return names;
    }

    /** The top layer's ID, or null for an image without layers. */
    String topLayer() {
        String l = json.path("layer").asText("");
        return l.isEmpty() ? null : l;
    }

    /** The digest of the image's manifest, or null. */
    Digest digest() {
        String d = json.path("digest").asText("");
        return d.isEmpty() ? null : Digest.parse(d);
    }

    /** Every manifest digest the image is known by. */
    List<Digest> digests() {
        List<Digest> all = new ArrayList<>();
        json.path("digests").forEach(d -> all.add(Digest.parse(d.asText())));
        Digest main = digest();
        if (main != null && !all.contains(main)) {
            all.add(0, main);
        }
        for (String key : bigDataNames()) {
            if (key.startsWith("manifest-")) {
                Digest d = Digest.parse(key.substring("manifest-".length()));
                if (!all.contains(d)) {
                    all.add(d);
                }
            }
        }
        return all;
    }

    List<String> bigDataNames() {
        List<String> keys = new ArrayList<>();
        json.path("big-data-names").forEach(n -> keys.add(n.asText()));
        return keys;
    }

    long bigDataSize(String key) {
        return json.path("big-data-sizes").path(key).asLong(-1);
    }

    /** RFC 3339 creation time, or empty. */
    String created() {
        return json.path("created").asText("");
    }

    /** The metadata string, parsed as JSON (containers/image keeps {@code signatures-sizes} there); empty object if none. */
    JsonNode metadata() {
        String text = json.path("metadata").asText("");
        if (text.isEmpty()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        try {
            return hoist.engine.image.Json.read(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
    }

    /** The file name of a big-data item, as containers/storage makes it. */
    static String bigDataFileName(String key) {
        return PLAIN_KEY.matcher(key).matches() ? key
                : "=" + Base64.getEncoder().encodeToString(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
