package hoist.engine.transport;

import java.io.IOException;

/** A parsed, validated reference to an image in one transport. */
public interface ImageReference {

    Transport transport();

    /** The canonical text after {@code transport:}. */
    String details();

    /** Opens the image for reading; fails if it does not exist. */
    ImageSource openSource(TransportContext context) throws IOException;

    /** Opens the location for writing; nothing is visible there until {@link ImageDestination#commit()}. */
    ImageDestination openDestination(TransportContext context) throws IOException;

    /**
     * The Docker-style name this reference carries ({@code docker://} names, a docker-archive tag,
     * a local image's name), used to name an image pulled into the local store. Empty when none.
     */
    default java.util.Optional<DockerReference> dockerReference() {
        return java.util.Optional.empty();
    }

    /**
     * Deletes the image this reference names from where it is stored, as skopeo delete does:
     * from a registry (the manifest, by digest, so every tag of it goes), a layout (its entry, and
     * the blobs no other entry uses), the local store (the image with all its names).
     *
     * @throws hoist.engine.HoistException when the image does not exist, or this transport cannot delete
     */
    default void deleteImage(TransportContext context) throws IOException {
        throw new hoist.engine.HoistException(text() + ": the " + transport().name() + " transport cannot delete images");
    }

    /** {@code transport:details}, which parses back to an equal reference. */
    default String text() {
        return transport().name() + ":" + details();
    }
}
