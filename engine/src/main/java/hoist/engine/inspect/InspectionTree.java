package hoist.engine.inspect;

import hoist.engine.image.MediaTypes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An inspected image drawn as a tree for people, as {@code tree} draws directories: a list, each
 * of its platforms, and under every image its config and layers, with short digests, sizes in
 * decimal units, kinds, compression and annotations.
 */
public final class InspectionTree {

    /** One line of the tree and the lines under it. */
    private record Node(String label, List<Node> children) {
        Node(String label) {
            this(label, new ArrayList<>());
        }
    }

    private final boolean fullDigests;

    private InspectionTree(boolean fullDigests) {
        this.fullDigests = fullDigests;
    }

    /** The tree, one line per node, without a trailing newline; {@code fullDigests} keeps digests whole. */
    public static String render(InspectedImage image, boolean fullDigests) {
        InspectionTree tree = new InspectionTree(fullDigests);
        Node root = new Node(image.reference() + "  " + tree.digest(image.digest()) + "  " + tree.summary(image));
        tree.addContents(root, image, "annotation");
        StringBuilder out = new StringBuilder(root.label());
        draw(root.children(), "", out);
        return out.toString();
    }

    private static void draw(List<Node> nodes, String indent, StringBuilder out) {
        for (int i = 0; i < nodes.size(); i++) {
            boolean last = i == nodes.size() - 1;
            Node node = nodes.get(i);
            out.append('\n').append(indent).append(last ? "└── " : "├── ").append(node.label());
            draw(node.children(), indent + (last ? "    " : "│   "), out);
        }
    }

    /** "OCI index, 2 manifests" or "OCI manifest  1.2 kB". */
    private String summary(InspectedImage image) {
        if (image.list()) {
            int n = image.manifests().size();
            return kind(image.mediaType()) + ", " + n + (n == 1 ? " manifest" : " manifests");
        }
        return kind(image.mediaType()) + "  " + HumanSize.of(image.size());
    }

    /** The manifest's annotations, then a list's entries or an image's config and layers, then what is attached to it. */
    private void addContents(Node node, InspectedImage image, String annotationWord) {
        addAnnotations(node, annotationWord, image.annotations());
        if (image.list()) {
            image.manifests().forEach(entry -> node.children().add(instance(entry)));
        } else {
            node.children().add(config(image.config()));
            image.layers().forEach(layer -> node.children().add(layer(layer)));
        }
        image.referrers().forEach(referrer -> node.children().add(referrer(referrer)));
    }

    /** {@code referrer sha256:...  application/spdx+json  646 B}, or {@code attached sha256-HEX.sig ...}; what is attached to it below. */
    private Node referrer(InspectedReferrer referrer) {
        StringBuilder label = new StringBuilder(referrer.tag() != null ? "attached " + referrer.tag() + "  " : "referrer ")
                .append(digest(referrer.digest()));
        if (referrer.artifactType() != null) {
            label.append("  ").append(referrer.artifactType());
        }
        label.append("  ").append(HumanSize.of(referrer.size()));
        Node node = new Node(label.toString());
        addAnnotations(node, "annotation", referrer.annotations());
        referrer.referrers().forEach(r -> node.children().add(referrer(r)));
        return node;
    }

    private Node instance(InspectedInstance entry) {
        String platform = entry.platform() == null ? "(no platform)" : entry.platform().toString();
        StringBuilder label = new StringBuilder(platform).append("  ").append(digest(entry.digest()))
                .append("  ").append(kind(entry.mediaType())).append("  ").append(HumanSize.of(entry.size()));
        if (entry.artifactType() != null) {
            label.append("  artifact ").append(entry.artifactType());
        }
        if (entry.image() == null) {
            label.append("  not available: ").append(entry.unavailable());
        }
        Node node = new Node(label.toString());
        addAnnotations(node, "annotation", entry.annotations());
        if (entry.image() != null) {
            addContents(node, entry.image(), "manifest annotation");
        }
        return node;
    }

    private Node config(InspectedConfig config) {
        StringBuilder label = new StringBuilder("config  ").append(digest(config.digest()))
                .append("  ").append(HumanSize.of(config.size()));
        boolean imageConfig = config.mediaType().equals(MediaTypes.OCI_CONFIG) || config.mediaType().equals(MediaTypes.DOCKER_CONFIG);
        if (!imageConfig) {
            label.append("  ").append(config.mediaType());
        }
        if (config.os() != null && config.architecture() != null) {
            label.append("  ").append(config.os()).append('/').append(config.architecture());
            if (config.variant() != null) {
                label.append('/').append(config.variant());
            }
        }
        if (config.created() != null) {
            label.append("  (created ").append(config.created()).append(')');
        }
        return new Node(label.toString());
    }

    private Node layer(InspectedLayer layer) {
        StringBuilder label = new StringBuilder("layer ").append(layer.index()).append("  ").append(digest(layer.digest()))
                .append("  ").append(HumanSize.of(layer.size())).append("  ").append(layer.compression());
        if (!hoist.engine.image.LayerMediaTypes.isLayer(layer.mediaType())) {
            label.append("  ").append(layer.mediaType());
        }
        if (layer.nonDistributable()) {
            label.append("  non-distributable");
        }
        Node node = new Node(label.toString());
        layer.urls().forEach(url -> node.children().add(new Node("url " + url)));
        addAnnotations(node, "annotation", layer.annotations());
        return node;
    }

    private static void addAnnotations(Node node, String word, Map<String, String> annotations) {
        annotations.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(a -> node.children().add(new Node(word + " " + a.getKey() + "=" + a.getValue())));
    }

    /** sha256 and the first 12 hex digits, which name the blob as an ID prefix does. */
    private String digest(String digest) {
        int colon = digest.indexOf(':');
        if (fullDigests || colon < 0 || digest.length() - colon - 1 <= 12) {
            return digest;
        }
        return digest.substring(0, colon + 1 + 12);
    }

    /** The short name people use for a manifest media type; the type itself when it has none. */
    static String kind(String mediaType) {
        return switch (mediaType) {
            case MediaTypes.OCI_INDEX -> "OCI index";
            case MediaTypes.OCI_MANIFEST -> "OCI manifest";
            case MediaTypes.DOCKER_LIST -> "Docker manifest list";
            case MediaTypes.DOCKER_MANIFEST -> "Docker manifest";
            case MediaTypes.DOCKER_SCHEMA1, MediaTypes.DOCKER_SCHEMA1_SIGNED -> "Docker schema1 manifest";
            default -> mediaType;
        };
    }
}
