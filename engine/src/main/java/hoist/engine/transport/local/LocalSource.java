package hoist.engine.transport.local;

import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.store.LocalStore;
import hoist.engine.store.StoredImage;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** Reads a stored image. */
final class LocalSource implements ImageSource {

    private final ImageReference reference;
    private final LocalStore store;
    private final StoredImage image;

    LocalSource(ImageReference reference, LocalStore store, StoredImage image) {
        this.reference = reference;
        this.store = store;
        this.image = image;
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    @Override
    public RawManifest manifest(Digest instance) throws IOException {
        Digest digest = instance == null ? image.manifestDigest() : instance;
        if (!store.hasBlob(digest, -1)) {
            throw new HoistException(reference.text() + ": manifest " + digest + " is not in the local store");
        }
        try (InputStream in = store.openBlob(digest)) {
            return new RawManifest(in.readAllBytes(), instance == null ? image.mediaType() : null);
        }
    }

    @Override
    public InputStream blob(Descriptor blob) throws IOException {
        return store.openBlob(blob.digest());
    }

    /** Every name of the image in the store ({@code localhost/app:1}, ...), as podman inspect lists them. */
    @Override
    public List<String> repositoryTags() {
        return image.names();
    }
}
