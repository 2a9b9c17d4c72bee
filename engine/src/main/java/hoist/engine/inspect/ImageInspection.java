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
import hoist.engine.io.VerifyingInputStream;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.TransportContext;

import java.io.IOException;
import java.io.InputStream;
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
            RawManifest raw = source.manifest(null);
            Manifest top = raw.parse();
            ImageManifest image = top instanceof ManifestList list ? instance(source, list, context) : (ImageManifest) top;
            byte[] config = readConfig(source, image.config());
            return new ImageInspection(reference, raw, top, image, config, ImageConfig.parse(config), source.repositoryTags());
        }
    }

    private static ImageManifest instance(ImageSource source, ManifestList list, TransportContext context) throws IOException {
        Descriptor chosen = list.choose(context.platform()).orElseThrow(() -> new HoistException(
                source.reference().text() + " has no image for " + context.platform()));
        return source.instanceImage(chosen.digest());
    }

    private static byte[] readConfig(ImageSource source, Descriptor config) throws IOException {
        try (InputStream in = new VerifyingInputStream(source.blob(config), config.digest(), config.size(),
                source.reference().text() + ": config")) {
            return in.readAllBytes();
        }
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
