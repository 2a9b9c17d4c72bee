package hoist.engine.transport.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.dockerarchive.StreamedArchive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads an image from the daemon's {@code GET /images/{name}/get} tar stream, in two passes (see
 * {@link StreamedArchive}): the first learns the manifest, the config and where each layer is; the
 * second streams the layers to the copier in the order the daemon writes them. The image is
 * first resolved to its ID, so both passes read the same image even if the name moves meanwhile.
 */
final class DaemonSource implements ImageSource {

    private final DaemonReference reference;
    private final StreamedArchive archive;
    private final RawManifest manifest;

    private DaemonSource(DaemonReference reference, StreamedArchive archive) {
        this.reference = reference;
        this.archive = archive;
        this.manifest = RawManifest.of(archive.manifest());
    }

    static DaemonSource open(DaemonReference reference, EngineClient client) throws IOException {
        Digest id = resolve(reference, client);
        StreamedArchive archive = StreamedArchive.read(() -> save(reference, client, id),
                reference.text() + " (the image " + id + " saved by " + client.host().describe() + ")", null);
        if (!archive.manifest().config().digest().equals(id)) {
            archive.close();
            throw new HoistException(reference.text() + ": the daemon saved an image whose config is "
                    + archive.manifest().config().digest() + ", not the image " + id);
        }
        return new DaemonSource(reference, archive);
    }

    /** The image ID the reference names; a missing or ambiguous image is a {@link HoistException} naming it. */
    private static Digest resolve(DaemonReference reference, EngineClient client) throws IOException {
        if (!reference.isId()) {
            JsonNode image = client.getJson("/images/" + reference.name() + "/json");
            if (image == null) {
                throw new HoistException(reference.text() + ": no such image in " + client.host().describe());
            }
            return Digest.parse(image.path("Id").asText());
        }
        JsonNode images = client.getJson("/images/json?all=1");
        List<String> matches = new ArrayList<>();
        if (images != null) {
            for (JsonNode image : images) {
                String id = image.path("Id").asText();
                if (id.startsWith("sha256:" + reference.idPrefix()) && !matches.contains(id)) {
                    matches.add(id);
                }
            }
        }
        if (matches.isEmpty()) {
            throw new HoistException(reference.text() + ": no image with " + (reference.isFullId() ? "ID " : "an ID starting with ")
                    + reference.idPrefix() + " in " + client.host().describe());
        }
        if (matches.size() > 1) {
            throw new HoistException(reference.text() + ": the ID prefix " + reference.idPrefix() + " matches "
                    + matches.size() + " images in " + client.host().describe() + "; give more digits");
        }
        return Digest.parse(matches.get(0));
    }

    /** One pass: the tar stream of the image; closing it closes the connection. */
    private static InputStream save(DaemonReference reference, EngineClient client, Digest id) throws IOException {
        EngineClient.Response response = client.get("/images/" + id + "/get");
        if (!response.ok()) {
            String message = response.errorMessage();
            response.close();
            throw new HoistException(reference.text() + ": " + client.host().describe() + " could not save the image: " + message);
        }
        return new FilterInputStream(response.body()) {
            @Override
            public void close() throws IOException {
                response.close();
            }
        };
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    @Override
    public RawManifest manifest(Digest instance) {
        if (instance != null && !instance.equals(manifest.digest())) {
            throw new HoistException(reference.text() + ": the Docker daemon holds single images, not manifest lists");
        }
        return manifest;
    }

    @Override
    public InputStream blob(Descriptor blob) throws IOException {
        return archive.blob(blob.digest());
    }

    @Override
    public Optional<List<Integer>> sequentialLayerOrder(ImageManifest image) {
        if (java.util.Arrays.equals(image.raw(), manifest.bytes())) {
            return Optional.of(archive.layerReadOrder());
        }
        return Optional.empty();
    }

    @Override
    public void close() throws IOException {
        archive.close();
    }
}
