package hoist.engine.copy;

import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageDestination;

import java.util.Optional;

/**
 * Whether a destination must receive the source's manifests unchanged, and why: it is named by
 * digest ({@code docker://REGISTRY/REPO@sha256:...}, which only those exact bytes can match), or
 * the user asked for it with {@code --preserve-digests}. Such a copy neither recompresses layers
 * nor converts manifest formats; a copy that would is refused before any blob is sent.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests">OCI distribution: pushing manifests</a>
 */
record DigestPreservation(Digest named, boolean asked) {

    /** What {@code destination} and {@code options} say; {@link #required()} is false for an ordinary copy. */
    static DigestPreservation of(ImageDestination destination, CopyOptions options) {
        Digest named = destination.reference().dockerReference().map(DockerReference::digest).orElse(null);
        return new DigestPreservation(named, options.preserveDigests());
    }

    /** Whether the manifests must stay as read. */
    boolean required() {
        return named != null || asked;
    }

    /** Why, in words that end an error message: "... {@code because}". */
    String because() {
        return named != null ? "the destination is named by digest (" + named + ") and must receive that manifest unchanged"
                : "--preserve-digests forbids changing the manifest";
    }

    /**
     * The refusal of a change described by {@code change} ("layer sha256:... would be recompressed
     * from gzip to zstd"), naming the destination and the reason.
     */
    HoistException refuse(String destination, String change) {
        return new HoistException(destination + ": " + change + ", but " + because());
    }

    /** The refusal when the top-level manifest copied is {@code copied} but the destination names another digest. */
    Optional<HoistException> mismatch(String destination, Digest copied) {
        if (named == null || named.equals(copied)) {
            return Optional.empty();
        }
        return Optional.of(new HoistException(destination + ": the destination is named by digest " + named
                + ", but the manifest copied is " + copied + "; name the destination by tag, or copy the image with that digest"));
    }
}
