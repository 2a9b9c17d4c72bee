package hoist.engine.transport;

import hoist.engine.HoistException;
import hoist.engine.compress.Compression;
import hoist.engine.image.Descriptor;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * An image being written. The copier calls, in order: {@link #tryReuse}/{@link #putBlob} for every
 * layer and the config, {@link #putInstanceManifest} for each instance of a list, {@link #putManifest}
 * for the top level, {@link #putSignatures}, and {@link #commit}. Nothing is visible at the location
 * before {@code commit}; {@link #close} without {@code commit} removes everything written.
 */
public interface ImageDestination extends Closeable {

    ImageReference reference();

    /** Manifest media types this location can store, preferred first. */
    List<String> supportedManifestTypes();

    /**
     * Manifest media types this location stores when {@code --format} asks for one: those of
     * {@link #supportedManifestTypes()} and any it keeps only on request (an OCI layout holds
     * Docker schema2 manifests when asked, as skopeo writes them).
     */
    default List<String> manifestTypesWhenAsked() {
        return supportedManifestTypes();
    }

    /** Whether manifest lists (and so {@link #putInstanceManifest}) are stored here. */
    default boolean acceptsLists() {
        return true;
    }

    /** Compression every layer must have here, or null when any is fine (keep the source's). */
    default Compression requiredLayerCompression() {
        return null;
    }

    /**
     * Whether layers that arrive uncompressed are compressed here (gzip, or the algorithm the user
     * asked for), and compressed layers recompressed when the user asks for another algorithm.
     * Registries and OCI layouts do; locations that keep layers as given do not.
     */
    default boolean compressesLayers() {
        return false;
    }

    /**
     * Whether non-distributable ("foreign") layers that name URLs are left out here, kept only as
     * descriptors, as registries expect: their bytes may not be redistributed.
     */
    default boolean acceptsForeignLayerUrls() {
        return false;
    }

    /**
     * Whether several blobs may be put at once. A location that writes one stream (an archive
     * written as the blobs arrive) says no, and the copier gives it one layer at a time.
     */
    default boolean acceptsParallelBlobs() {
        return true;
    }

    /** Whether simple-signing signatures can be stored here. */
    default boolean supportsSignatures() {
        return false;
    }

    /**
     * Whether signatures carried with an image are dropped here rather than refused: a location
     * that keeps none by design (hoist's own store, whose pulls check them against the policy on
     * the way in). New signatures ({@code --sign-by}) are still refused where
     * {@link #supportsSignatures()} is false.
     */
    default boolean discardsSignatures() {
        return false;
    }

    /**
     * The blob's descriptor if this location already has it (nothing is read from the source), or
     * empty. Must be cheap.
     */
    default Optional<Descriptor> tryReuse(Descriptor blob) throws IOException {
        return Optional.empty();
    }

    /**
     * Makes the blob present by mounting it from another repository where it is known to be,
     * without sending its bytes; returns that repository, or empty. Only registries can.
     */
    default Optional<String> tryMount(Descriptor blob) throws IOException {
        return Optional.empty();
    }

    /**
     * The blob store this location shares with others, such as every repository of one registry:
     * a blob sent to one of them can be mounted into the others instead of being sent again.
     * Empty when blobs are kept here alone.
     */
    default Optional<String> sharedBlobStore() {
        return Optional.empty();
    }

    /**
     * Stores a blob, reading {@code stream} to its end before the blob counts as stored (the stream
     * verifies itself at its end and throws if it is corrupt). Returns the stored digest and size.
     */
    Descriptor putBlob(InputStream stream, BlobInfo info) throws IOException;

    /** Stores one instance of a list, before the list itself. */
    default void putInstanceManifest(RawManifest manifest) throws IOException {
        throw new HoistException(reference().text() + ": this destination does not store manifest lists");
    }

    /** Stores the top-level manifest (an image, or a list whose instances were put before). */
    void putManifest(RawManifest manifest) throws IOException;

    /** Stores signatures of the manifest just put; only called when {@link #supportsSignatures()}. */
    default void putSignatures(List<byte[]> signatures) throws IOException {
        if (!signatures.isEmpty()) {
            throw new HoistException(reference().text() + ": this destination does not store signatures; use --remove-signatures");
        }
    }

    /**
     * Whether manifests attached to the image (OCI 1.1 referrers, cosign's {@code sha256-HEX.sig}
     * tags) can be stored here, with {@link #putAttachment}.
     */
    default boolean acceptsAttachments() {
        return false;
    }

    /**
     * Stores a manifest attached to the image (its blobs put before, with {@link #putBlob}): by
     * digest alone when {@code tag} is null (a referrer, found through its {@code subject}), or
     * under {@code tag} beside the image (cosign's {@code sha256-HEX.sig}). A manifest with a
     * {@code subject} is listed among that subject's referrers as the location lists them: a
     * registry's referrers API where it honours {@code subject}, else the referrers tag schema's
     * index; a layout's index.json. It becomes visible at {@link #commit}, after the image.
     *
     * @param manifest the manifest, stored byte for byte
     * @param tag      the tag to store it under, or null for none
     * @throws HoistException where {@link #acceptsAttachments()} is false
     * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests-with-subject">OCI distribution spec: pushing manifests with subject</a>
     */
    default void putAttachment(RawManifest manifest, String tag) throws IOException {
        throw new HoistException(reference().text() + ": this destination does not keep referrers or attached manifests");
    }

    /** Makes everything written visible, in one step where the location allows. */
    void commit() throws IOException;

    /** Releases resources; without a prior {@link #commit} it removes everything this destination wrote. */
    @Override
    void close() throws IOException;
}
