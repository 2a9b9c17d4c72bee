package hoist.engine.transport.registry;

import hoist.engine.image.Descriptor;
import hoist.engine.image.MediaTypes;
import hoist.engine.transport.BlobInfo;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
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
    private final RegistryClient client;
    private RawManifest top;

    RegistryDestination(RegistryReference reference, RegistryClient client) {
        this.reference = reference;
        this.client = client;
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
    public Optional<Descriptor> tryReuse(Descriptor blob) throws IOException {
        return client.blobExists(blob.digest()) ? Optional.of(blob) : Optional.empty();
    }

    @Override
    public Descriptor putBlob(InputStream stream, BlobInfo info) throws IOException {
        RegistryClient.UploadedBlob uploaded = client.upload(stream, info.digest(), info.size());
        return new Descriptor(info.mediaType(), uploaded.digest(), uploaded.size());
    }

    @Override
    public void putInstanceManifest(RawManifest manifest) throws IOException {
        client.putManifest(manifest.digest().toString(), manifest);
    }

    @Override
    public void putManifest(RawManifest manifest) {
        top = manifest;
    }

    @Override
    public void commit() throws IOException {
        client.putManifest(reference.tagOrDigest(), top);
    }

    @Override
    public void close() {
        // blobs already uploaded stay: unreferenced, the registry's garbage collection removes them
    }
}
