package hoist.engine.sealos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageConfig;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.ManifestList;
import hoist.engine.image.Platform;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code imagehub.sealos.io/v1} {@code Image} custom resource of an image, as sealos push
 * writes it: the image's own {@code /metadata/config.yaml} (an {@code Image} object, when the image
 * has one) with {@code metadata.name} and {@code spec.name} set from the destination's name,
 * {@code spec.detail.docs} from {@code /README.md}, and {@code spec.detail} {@code ID} (the image
 * ID: the config digest's hex), {@code arch}, {@code size} (the layers' uncompressed bytes plus the
 * config's and manifest's, as containers/storage counts an image) and {@code creatTime} (the
 * config's {@code created}). The resource is cluster-scoped.
 *
 * @see <a href="https://github.com/labring/sealos/blob/v4.3.0/pkg/buildah/imagecrbuilder.go">sealos's ImageCRBuilder</a>
 * @see <a href="https://github.com/labring/sealos/blob/v4.3.0/controllers/imagehub/api/v1/image_types.go">the Image type</a>
 */
public final class ImageHubImage {

    public static final String GROUP = "imagehub.sealos.io";
    public static final String VERSION = "v1";
    public static final String KIND = "Image";
    public static final String RESOURCE = "images";
    /** Where in the image's file system sealos reads the resource's base. */
    public static final String CONFIG_PATH = "metadata/config.yaml";
    /** Where in the image's file system sealos reads the documentation. */
    public static final String DOCS_PATH = "README.md";
    /** The media type of the resource when it travels as an OCI artifact (JSON). */
    public static final String ARTIFACT_TYPE = "application/vnd.sealos.imagehub.image.v1+json";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The largest manifest or config read here. */
    private static final int MAX_JSON_BYTES = 4 * 1024 * 1024;

    private ImageHubImage() {
    }

    /** The API path of the collection: {@code /apis/imagehub.sealos.io/v1/images}. */
    public static String collectionPath() {
        return "/apis/" + GROUP + "/" + VERSION + "/" + RESOURCE;
    }

    /** The API path of the object named {@code name}. */
    public static String objectPath(String name) {
        return collectionPath() + "/" + name;
    }

    /** {@code ORG/REPO:TAG}: the name without its registry, as sealos names the image in the hub. */
    public static String hubName(DockerReference name) {
        DockerReference tagged = name.withDefaultTag();
        return tagged.path() + (tagged.tag() != null ? ":" + tagged.tag() : "@" + tagged.digest());
    }

    /** {@link #hubName} with {@code /} and {@code :} made {@code .}: the object's {@code metadata.name}. */
    public static String objectName(DockerReference name) {
        return hubName(name).replace(':', '.').replace('/', '.').replace('@', '.');
    }

    /**
     * Reads the image at {@code source} (a list's image for {@code platform}) and builds its resource
     * for the destination name {@code destination}.
     *
     * @throws HoistException naming the source when the list has no image for the platform, a layer
     *                        cannot be read, or {@code /metadata/config.yaml} is not a YAML mapping
     */
    public static ObjectNode read(ImageSource source, Platform platform, DockerReference destination) throws IOException {
        RawManifest raw = source.manifest(null);
        ImageManifest image;
        if (raw.parse() instanceof ManifestList list) {
            Descriptor chosen = list.choose(platform).orElseThrow(() -> new HoistException(source.reference().text()
                    + ": the list has no image for " + platform));
            image = source.instanceImage(chosen.digest());
            raw = new RawManifest(image.raw(), image.mediaType());
        } else {
            image = (ImageManifest) raw.parse();
        }
        byte[] configBytes;
        try (InputStream in = new hoist.engine.image.VerifyingInputStream(source.blob(image.config()),
                image.config().digest(), image.config().size(), source.reference().text() + " config")) {
            configBytes = in.readNBytes(MAX_JSON_BYTES);
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        ImageConfig config = ImageConfig.parse(configBytes);
        LayerFiles files = LayerFiles.read(source, image, Set.of(CONFIG_PATH, DOCS_PATH));
        long size = files.unpackedBytes() + configBytes.length + raw.bytes().length;
        byte[] base = files.files().get(CONFIG_PATH);
        byte[] docs = files.files().get(DOCS_PATH);
        return resource(source.reference().text(), base, docs == null ? null : new String(docs, StandardCharsets.UTF_8),
                image.config().digest(), config.architecture(), size, config.created(), destination);
    }

    /**
     * The resource from its parts.
     *
     * @param origin       names the image in errors
     * @param configYaml   {@code /metadata/config.yaml}'s bytes; null when the image has none
     * @param docs         {@code /README.md}'s text; null when the image has none
     * @param imageId      the config's digest
     * @param architecture the config's architecture; null when it names none
     * @param size         bytes
     * @param created      the config's {@code created} (RFC 3339); null when it has none
     * @param destination  the name the image is pushed as
     * @throws HoistException when {@code configYaml} is not a YAML mapping
     */
    public static ObjectNode resource(String origin, byte[] configYaml, String docs, Digest imageId, String architecture,
                                      long size, String created, DockerReference destination) {
        ObjectNode resource = JsonNodeFactory.instance.objectNode();
        if (configYaml != null) {
            JsonNode parsed;
            try {
                parsed = YAML.readTree(configYaml);
            } catch (IOException e) {
                throw new HoistException(origin + ": /" + CONFIG_PATH + " is not valid YAML: "
                        + e.getMessage().lines().findFirst().orElse(""), e);
            }
            if (parsed != null && !parsed.isMissingNode() && !parsed.isNull()) {
                if (!(parsed instanceof ObjectNode object)) {
                    throw new HoistException(origin + ": /" + CONFIG_PATH + " is not an Image object (a YAML mapping)");
                }
                resource = object;
            }
        }
        resource.put("apiVersion", GROUP + "/" + VERSION);
        resource.put("kind", KIND);
        ObjectNode metadata = object(resource, "metadata");
        metadata.put("name", objectName(destination));
        ObjectNode spec = object(resource, "spec");
        spec.put("name", hubName(destination));
        ObjectNode detail = object(spec, "detail");
        // sealos resets the actions an image declares, and an empty map is left out of what it sends
        detail.remove("actions");
        if (docs != null) {
            detail.put("docs", docs);
        }
        detail.put("ID", imageId.hex());
        if (architecture != null && !architecture.isEmpty()) {
            detail.put("arch", architecture);
        }
        detail.put("size", size);
        if (created != null && !created.isEmpty()) {
            detail.put("creatTime", created);
        } else {
            detail.putNull("creatTime");
        }
        return resource;
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node instanceof ObjectNode object) {
            return object;
        }
        return parent.putObject(field);
    }

    /**
     * The resource as an OCI artifact referring to the pushed image: an image manifest with
     * {@code artifactType} {@link #ARTIFACT_TYPE}, the empty config, one layer holding
     * {@code document} (the resource's JSON) and {@code subject} the image's manifest.
     *
     * @param document the JSON bytes of the resource, as {@link #documentBytes} makes them
     * @param subject  the descriptor of the pushed manifest
     * @return the artifact; its one blob besides the empty config is {@code document}
     * @see <a href="https://github.com/opencontainers/image-spec/blob/main/manifest.md#guidelines-for-artifact-usage">OCI artifacts</a>
     */
    public static ImageManifest referrerManifest(byte[] document, Descriptor subject) {
        Descriptor layer = new Descriptor(ARTIFACT_TYPE, Digest.sha256(document), document.length);
        return ImageManifest.artifact(subject, ARTIFACT_TYPE, List.of(layer), Map.of());
    }

    /** The resource's JSON bytes, as sent to the API server and carried as a referrer. */
    public static byte[] documentBytes(ObjectNode resource) {
        try {
            return JSON.writeValueAsBytes(resource);
        } catch (IOException e) {
            throw new HoistException("cannot write the custom resource: " + e.getMessage(), e);
        }
    }
}
