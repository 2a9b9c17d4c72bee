package hoist.engine.transport.local;

import hoist.engine.HoistException;
import hoist.engine.store.LocalStore;
import hoist.engine.store.StoredImage;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.Transport;
import hoist.engine.transport.TransportContext;

import java.io.IOException;
import java.util.Optional;

/**
 * An image of the local store as the user named it. Reading resolves the text as podman does
 * (name, short name, ID, ID prefix); writing needs a name, normalized as docker normalizes it.
 */
public record LocalReference(Transport transport, String text) implements ImageReference {

    @Override
    public String details() {
        return text;
    }

    /** The name an image written here gets. */
    public String destinationName() {
        try {
            return DockerReference.parse(text).withDefaultTag().toString();
        } catch (HoistException e) {
            throw HoistException.usage("local:" + text + " cannot name an image to write: " + e.getMessage());
        }
    }

    /** The stored image this reference names. */
    public StoredImage resolve(TransportContext context) throws IOException {
        return LocalStore.open(context.storeRoot()).resolve(text);
    }

    /**
     * Where a push of this image goes by default: the name the user typed when it is one of the
     * image's names (as podman pushes to the name it resolved), else the image's first name;
     * empty for an image without names.
     */
    public Optional<DockerReference> storedName(TransportContext context) throws IOException {
        StoredImage image = resolve(context);
        return LocalStore.nameMatched(image, text).or(() -> image.names().stream().findFirst())
                .map(DockerReference::parse);
    }

    @Override
    public ImageSource openSource(TransportContext context) throws IOException {
        LocalStore store = LocalStore.open(context.storeRoot());
        return new LocalSource(this, store, store.resolve(text));
    }

    @Override
    public ImageDestination openDestination(TransportContext context) throws IOException {
        String name = destinationName();
        return new LocalDestination(this, LocalStore.open(context.storeRoot()), name);
    }

    /** Deletes the stored image with all its names; blobs no other image uses go too. */
    @Override
    public void deleteImage(TransportContext context) throws IOException {
        LocalStore.open(context.storeRoot()).deleteImage(text);
    }

    @Override
    public String toString() {
        return text();
    }
}
