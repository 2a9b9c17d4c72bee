package hoist.engine.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageConfig;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.Json;
import hoist.engine.image.Manifest;
import hoist.engine.image.ManifestList;
import hoist.engine.image.Platform;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.TransportContext;

import java.io.IOException;
import java.util.List;

/**
 * An image as read for inspection: the top-level manifest as stored, and for a list the instance
 * of the current platform, with that image's config.
 */
public record ImageInspection(ImageReference reference, RawManifest rawManifest, Manifest manifest,
                              ImageManifest image, byte[] configBytes, ImageConfig config, List<String> repositoryTags) {

    /** Reads the manifest, the platform's instance if it is a list, and the config; all verified. */
    public static ImageInspection read(ImageReference reference, TransportContext context) throws IOException {
        try (ImageSource source = reference.openSource(context)) {
            return of(reference, ImageContent.read(source), context.platform(), source.repositoryTags());
        }
    }

    /** The summary of what was read: a list's instance for {@code platform}, or the image itself. */
    public static ImageInspection of(ImageReference reference, ImageContent content, Platform platform,
                                     List<String> repositoryTags) {
        ImageContent image = content.manifest() instanceof ManifestList list
                ? instance(reference, content, list, platform) : content;
        return new ImageInspection(reference, content.raw(), content.manifest(), (ImageManifest) image.manifest(),
                image.config().raw(), image.config(), repositoryTags);
    }

    private static ImageContent instance(ImageReference reference, ImageContent content, ManifestList list,
                                         Platform platform) {
        Descriptor chosen = list.choose(platform).orElseThrow(() -> new HoistException(
                reference.text() + " has no image for " + platform));
        ImageContent.Instance instance = content.instances().stream()
                .filter(i -> i.descriptor().equals(chosen)).findFirst().orElseThrow();
        if (instance.content() == null) {
            throw new HoistException(instance.unavailable());
        }
        if (instance.content().manifest() instanceof ManifestList) {
            throw new HoistException(reference.text() + ": manifest " + chosen.digest()
                    + " is a list inside a list, which is not supported");
        }
        return instance.content();
    }

    /** The digest of the top-level manifest. */
    public Digest digest() {
        return rawManifest.digest();
    }

    /** The config, pretty-printed. */
    public String configJson() {
        return Json.pretty(config.json());
    }

    /** The summary skopeo inspect prints, with the same field names. */
    public String summaryJson() {
        return Json.pretty(summary());
    }

    public ObjectNode summary() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode out = f.objectNode();
        reference.dockerReference().ifPresent(r -> out.put("Name", r.name()));
        out.put("Digest", digest().toString());
        ArrayNode tags = out.putArray("RepoTags");
        repositoryTags.forEach(tags::add);
        if (config.created() != null) {
            out.put("Created", config.created());
        }
        out.put("DockerVersion", config.json().path("docker_version").asText(""));
        JsonNode labels = config.containerConfig().path("Labels");
        out.set("Labels", labels.isObject() ? labels : f.nullNode());
        out.put("Architecture", config.architecture());
        if (config.variant() != null) {
            out.put("Variant", config.variant());
        }
        out.put("Os", config.os());
        ArrayNode layers = out.putArray("Layers");
        ArrayNode layersData = out.putArray("LayersData");
        for (Descriptor layer : image.layers()) {
            layers.add(layer.digest().toString());
            ObjectNode data = layersData.addObject();
            data.put("MIMEType", layer.mediaType());
            data.put("Digest", layer.digest().toString());
            data.put("Size", layer.size());
            if (layer.annotations().isEmpty()) {
                data.putNull("Annotations");
            } else {
                ObjectNode a = data.putObject("Annotations");
                layer.annotations().forEach(a::put);
            }
        }
        JsonNode env = config.containerConfig().path("Env");
        out.set("Env", env.isArray() ? env : f.nullNode());
        return out;
    }
}
