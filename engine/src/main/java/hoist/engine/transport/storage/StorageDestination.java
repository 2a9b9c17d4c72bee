package hoist.engine.transport.storage;

import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.MediaTypes;
import hoist.engine.transport.BlobInfo;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.TransportContext;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** Writes an image into a containers-storage store. */
final class StorageDestination implements ImageDestination {

    private final StorageReference reference;

    StorageDestination(StorageReference reference, ContainersStorage storage, TransportContext context) {
        this.reference = reference;
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    @Override
    public List<String> supportedManifestTypes() {
        return List.of(MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST);
    }

    @Override
    public Descriptor putBlob(InputStream stream, BlobInfo info) throws IOException {
        throw new HoistException(reference.text() + ": writing is not supported yet");
    }

    @Override
    public void putManifest(RawManifest manifest) {
    }

    @Override
    public void commit() {
    }

    @Override
    public void close() {
    }
}
