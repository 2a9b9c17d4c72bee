package hoist.engine.transport;

import hoist.engine.image.Descriptor;
import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.io.DigestMismatchException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * An image being read. Sources hand out bytes as stored; the copier verifies every blob against
 * its descriptor's digest and size, so a source need not.
 */
public interface ImageSource extends Closeable {

    ImageReference reference();

    /**
     * The top-level manifest ({@code instance} null) or the instance of a list with that digest.
     * Missing images are a {@link hoist.engine.HoistException} naming the reference.
     */
    RawManifest manifest(Digest instance) throws IOException;

    /**
     * The single-image manifest of a list's instance, checked against the digest the list gives
     * it. Nested lists are refused.
     */
    default ImageManifest instanceImage(Digest instance) throws IOException {
        RawManifest raw = manifest(instance);
        if (!raw.digest().equals(instance)) {
            throw new DigestMismatchException(reference().text() + ": manifest " + instance
                    + " does not match its content (actual digest " + raw.digest() + ")");
        }
        if (raw.parse() instanceof ImageManifest image) {
            return image;
        }
        throw new HoistException(reference().text() + ": manifest " + instance + " is a list inside a list, "
                + "which is not supported");
    }

    /**
     * The names the image carries where it is stored, as full references
     * ({@code REGISTRY/PATH:TAG}): a registry reference's own, a docker archive's RepoTags, an OCI
     * entry's {@code org.opencontainers.image.ref.name} when it is a full reference. Empty when
     * the source names none; {@code pull} names the image with these, as podman does.
     */
    default List<String> imageNames() {
        return reference().dockerReference().map(r -> List.of(r.withDefaultTag().toString())).orElse(List.of());
    }

    /** A stream of the blob's stored bytes; the caller closes it. */
    InputStream blob(Descriptor blob) throws IOException;

    /**
     * Called when the bytes {@link #blob} gave did not match {@code blob}'s digest or size: a
     * source that can say more (which file of a stored layer changed) returns an exception that
     * says it; the default returns {@code mismatch} unchanged. May read the blob again.
     *
     * @return the exception to report, never null
     */
    default DigestMismatchException explainMismatch(Descriptor blob, DigestMismatchException mismatch) {
        return mismatch;
    }

    /**
     * For a source that reads its layers from one stream, start to end (the Docker daemon's
     * {@code images/get}): the indexes (from 0) of {@code manifest}'s layers in the stream's order.
     * The copier then reads them one at a time, in that order. Empty, the default: any order, in
     * parallel.
     */
    default java.util.Optional<List<Integer>> sequentialLayerOrder(ImageManifest manifest) {
        return java.util.Optional.empty();
    }

    /**
     * Every tag of the image's repository, where the location has repositories with tags (a
     * registry: the tags alone, as skopeo shows them), or every name of the image (the local
     * store: full names, as podman shows them); empty elsewhere.
     */
    default List<String> repositoryTags() throws IOException {
        return List.of();
    }

    /**
     * The manifests kept here that name {@code subject} as their OCI 1.1 {@code subject}, as
     * descriptors (media type, digest, size in bytes, {@code artifactType}, annotations) in the
     * order the location lists them; only those whose {@code artifactType} is {@code artifactType}
     * when it is not null. A list can be stale (a referrers tag index is kept by its writers): the
     * caller checks each manifest's subject as it reads it, with {@link #manifest}. Empty where the
     * location keeps no referrers, the default.
     *
     * @param subject      the digest of the manifest the referrers are attached to
     * @param artifactType the artifact type to keep, or null for every one
     * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers">OCI distribution spec: listing referrers</a>
     */
    default List<Descriptor> referrers(Digest subject, String artifactType) throws IOException {
        return List.of();
    }

    /**
     * The manifest tagged {@code tag} beside this image (in its repository, its layout), as cosign
     * keeps what it attaches ({@code sha256-HEX.sig}); empty when there is none, and where the
     * location has no tags beside the image, the default.
     */
    default java.util.Optional<RawManifest> taggedManifest(String tag) throws IOException {
        return java.util.Optional.empty();
    }

    /**
     * Whether {@link #signatures} reads the signatures kept with this image. True but for a
     * registry without the {@code X-Registry-Supports-Signatures} extension, whose images keep
     * their signatures in a lookaside store instead.
     */
    default boolean keepsSignatures() throws IOException {
        return true;
    }

    /**
     * Signatures of the manifest {@code instance} (null: the top level), simple and sigstore ones as
     * containers/image keeps them in one list ({@code hoist.engine.sign.SignatureBlobs}).
     */
    default List<byte[]> signatures(Digest instance) throws IOException {
        return List.of();
    }

    @Override
    default void close() throws IOException {
    }
}
