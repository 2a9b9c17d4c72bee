package hoist.engine.transport.registry;

import hoist.engine.image.Descriptor;
import hoist.engine.image.MediaTypes;
import hoist.engine.transport.BlobInfo;
import hoist.engine.transport.BlobKnowledge;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ManifestTypeRejectedException;
import hoist.engine.transport.RawManifest;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Writes an image to a registry. Blobs and list instances (by digest) go up as they come; the
 * top-level manifest, which makes the image visible under its tag, is sent only at commit.
 */
final class RegistryDestination implements ImageDestination {

    private final RegistryReference reference;
    private final DockerReference target;
    private final RegistryClient client;
    private final BlobKnowledge knowledge;
    private RawManifest top;

    /** {@code target} is where registries.conf sends the reference. */
    RegistryDestination(RegistryReference reference, DockerReference target, RegistryClient client, BlobKnowledge knowledge) {
        this.reference = reference;
        this.target = target;
        this.client = client;
        this.knowledge = knowledge;
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    @Override
    public List<String> supportedManifestTypes() {
        return MediaTypes.IMAGES_AND_LISTS;
    }

    @Override
    public boolean compressesLayers() {
        return true;
    }

    @Override
    public boolean acceptsForeignLayerUrls() {
        return true;
    }

    @Override
    public Optional<Descriptor> tryReuse(Descriptor blob) throws IOException {
        if (!client.blobExists(blob.digest())) {
            return Optional.empty();
        }
        knowledge.seen(blob.digest(), target.name());
        return Optional.of(blob);
    }

    /** Every repository of a registry: a blob uploaded to one can be mounted into the others. */
    @Override
    public Optional<String> sharedBlobStore() {
        return Optional.of(target.domain());
    }

    /** Mounts from a repository of the same registry where the blob was seen, newest first. */
    @Override
    public Optional<String> tryMount(Descriptor blob) throws IOException {
        String registry = target.domain() + "/";
        for (String location : knowledge.locations(blob.digest())) {
            if (!location.startsWith(registry) || location.equals(target.name())) {
                continue;
            }
            String repository = location.substring(registry.length());
            if (client.mount(blob.digest(), repository)) {
                knowledge.seen(blob.digest(), target.name());
                return Optional.of(repository);
            }
        }
        return Optional.empty();
    }

    @Override
    public Descriptor putBlob(InputStream stream, BlobInfo info) throws IOException {
        RegistryClient.UploadedBlob uploaded = client.upload(stream, info.digest(), info.size());
        knowledge.seen(uploaded.digest(), target.name());
        return new Descriptor(info.mediaType(), uploaded.digest(), uploaded.size());
    }

    @Override
    public void putInstanceManifest(RawManifest manifest) throws IOException {
        putManifestAs(manifest.digest().toString(), manifest);
    }

    @Override
    public void putManifest(RawManifest manifest) {
        top = manifest;
    }

    @Override
    public void commit() throws IOException {
        putManifestAs(target.digest() != null ? target.digest().toString() : target.tag(), top);
    }

    /** Puts a manifest; a refusal of its type is a {@link ManifestTypeRejectedException}, the copier's cue to try another format. */
    private void putManifestAs(String tagOrDigest, RawManifest manifest) throws IOException {
        try {
            client.putManifest(tagOrDigest, manifest);
        } catch (RegistryException e) {
            if (rejectsType(e)) {
                throw new ManifestTypeRejectedException(e);
            }
            throw e;
        }
    }

    /**
     * Whether the registry refused the manifest's type: 415, or a 400 whose error is
     * {@code MANIFEST_INVALID} or {@code TAG_INVALID} (docker/distribution's answer to a type it
     * cannot parse), or that names the manifest in its message.
     */
    static boolean rejectsType(RegistryException e) {
        if (e.status() == 415) {
            return true;
        }
        if (e.status() != 400) {
            return false;
        }
        String message = e.getMessage();
        int detail = message.indexOf(": ", message.indexOf("writing manifest"));
        String said = detail < 0 ? message : message.substring(detail + 2);
        if (said.contains("BLOB_UNKNOWN")) {
            return false; // the manifest's type was understood; a blob it names is missing
        }
        return said.contains("MANIFEST_INVALID") || said.contains("TAG_INVALID")
                || said.toLowerCase(java.util.Locale.ROOT).contains("manifest");
    }

    @Override
    public void close() {
        // blobs already uploaded stay: unreferenced, the registry's garbage collection removes them
    }
}
