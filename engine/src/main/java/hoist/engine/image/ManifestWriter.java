package hoist.engine.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * Serializes manifests with a fixed field order, so the same content always gives the same bytes
 * and so the same digest at every destination.
 */
final class ManifestWriter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ManifestWriter() {
    }

    static byte[] imageManifest(ManifestFormat format, Descriptor config, List<Descriptor> layers,
                                Map<String, String> annotations, Descriptor subject, String artifactType) {
        ObjectNode root = NODES.objectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", format.imageMediaType());
        if (format == ManifestFormat.OCI && artifactType != null) {
            root.put("artifactType", artifactType);
        }
        root.set("config", descriptor(config, format));
        ArrayNode layerArray = root.putArray("layers");
        layers.forEach(l -> layerArray.add(descriptor(l, format)));
        if (format == ManifestFormat.OCI) {
            if (subject != null) {
                root.set("subject", descriptor(subject, format));
            }
            putAnnotations(root, annotations);
        }
        return Json.write(root);
    }

    static byte[] list(ManifestFormat format, List<Descriptor> manifests, Map<String, String> annotations) {
        ObjectNode root = NODES.objectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", format.listMediaType());
        ArrayNode entries = root.putArray("manifests");
        manifests.forEach(m -> entries.add(descriptor(m, format)));
        if (format == ManifestFormat.OCI) {
            putAnnotations(root, annotations);
        }
        return Json.write(root);
    }

    static ObjectNode descriptor(Descriptor d, ManifestFormat format) {
        ObjectNode node = NODES.objectNode();
        node.put("mediaType", d.mediaType());
        if (format == ManifestFormat.V2S2) {
            // schema2 descriptors put the size first, as Docker and containers/image write them
            node.put("size", d.size());
            node.put("digest", d.digest().toString());
        } else {
            node.put("digest", d.digest().toString());
            node.put("size", d.size());
        }
        if (!d.urls().isEmpty()) {
            ArrayNode urls = node.putArray("urls");
            d.urls().forEach(urls::add);
        }
        if (format == ManifestFormat.OCI) {
            putAnnotations(node, d.annotations());
            if (d.artifactType() != null) {
                node.put("artifactType", d.artifactType());
            }
        }
        if (d.platform() != null) {
            node.set("platform", platform(d.platform()));
        }
        return node;
    }

    private static ObjectNode platform(Platform p) {
        ObjectNode node = NODES.objectNode();
        node.put("architecture", p.architecture());
        node.put("os", p.os());
        if (p.osVersion() != null) {
            node.put("os.version", p.osVersion());
        }
        if (!p.osFeatures().isEmpty()) {
            ArrayNode features = node.putArray("os.features");
            p.osFeatures().forEach(features::add);
        }
        if (p.variant() != null && !p.variant().isEmpty()) {
            node.put("variant", p.variant());
        }
        return node;
    }

    private static void putAnnotations(ObjectNode node, Map<String, String> annotations) {
        if (annotations != null && !annotations.isEmpty()) {
            ObjectNode a = node.putObject("annotations");
            new java.util.TreeMap<>(annotations).forEach(a::put);
        }
    }
}
