package hoist.dsl.command;

import hoist.dsl.Session;
import hoist.engine.store.StoredImage;

import java.io.IOException;
import java.util.List;

/**
 * The images a bare image name means to {@code images}, {@code tag} and {@code rmi}: hoist's own
 * store, or podman's and buildah's containers-storage, as the session's {@link Session#storage()} says.
 */
interface LocalImages {

    /** The store {@code session} names. */
    static LocalImages of(Session session) {
        return session.storage().equals("containers-storage")
                ? new StorageImages() : new EmbeddedImages(session.context().storeRoot());
    }

    /** Every image, in the store's order. */
    List<StoredImage> images() throws IOException;

    /**
     * Adds {@code names} (full references) to the image {@code image} names (a name, ID or ID
     * prefix); each name leaves the image that had it. Returns the image as it now is.
     *
     * @throws hoist.engine.HoistException when no image or more than one matches {@code image}
     */
    StoredImage tag(String image, List<String> names) throws IOException;

    /**
     * Removes what {@code image} names, as podman's rmi does: a name removes that name (and the
     * image with its last name); an ID the image with all its names, only with {@code force} when
     * it has several. Returns the lines rmi prints ({@code Untagged: NAME}, {@code Deleted: ID}).
     */
    List<String> remove(String image, boolean force) throws IOException;

    /** Removes every image; returns the lines rmi prints. */
    List<String> removeAll() throws IOException;
}
