package hoist.engine.transport.dockerarchive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.archive.InvalidArchiveException;
import hoist.engine.image.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The {@code manifest.json} of an archive: one item per image, with its config, tags and layers. */
record ArchiveManifest(List<Item> items) {

    static final String FILE = "manifest.json";

    /** One image: where its config and layers are inside the archive, and its names. */
    record Item(String config, List<String> repoTags, List<String> layers) {
    }

    static ArchiveManifest parse(byte[] bytes, String archive) {
        JsonNode root;
        try {
            root = Json.read(bytes);
        } catch (IOException e) {
            throw new InvalidArchiveException(archive + ": " + FILE + " is not valid JSON: " + Json.problem(e));
        }
        if (root == null || !root.isArray()) {
            throw new InvalidArchiveException(archive + ": " + FILE + " must be a JSON array");
        }
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode node = root.get(i);
            String config = node.path("Config").asText("");
            if (config.isEmpty()) {
                throw new InvalidArchiveException(archive + ": " + FILE + " item " + i + " has no \"Config\"");
            }
            JsonNode layersNode = node.path("Layers");
            if (!layersNode.isArray()) {
                throw new InvalidArchiveException(archive + ": " + FILE + " item " + i + " has no \"Layers\" array");
            }
            List<String> layers = new ArrayList<>();
            layersNode.forEach(l -> layers.add(l.asText()));
            List<String> tags = new ArrayList<>();
            node.path("RepoTags").forEach(t -> tags.add(t.asText()));
            items.add(new Item(config, tags, layers));
        }
        if (items.isEmpty()) {
            throw new InvalidArchiveException(archive + ": " + FILE + " lists no image");
        }
        return new ArchiveManifest(items);
    }

    byte[] toJson() {
        ArrayNode root = JsonNodeFactory.instance.arrayNode();
        for (Item item : items) {
            ObjectNode node = root.addObject();
            node.put("Config", item.config());
            ArrayNode tags = node.putArray("RepoTags");
            item.repoTags().forEach(tags::add);
            ArrayNode layers = node.putArray("Layers");
            item.layers().forEach(layers::add);
        }
        return Json.write(root);
    }
}
