package hoist.engine.referrers;

import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;

import java.util.List;
import java.util.Map;

/**
 * A manifest attached to another, and what is attached to it in turn.
 *
 * @param descriptor the attached manifest: media type, digest, size in bytes, {@code artifactType}
 *                   (null for a cosign tag's manifest, which names none) and annotations
 * @param subject    the digest of the manifest it is attached to
 * @param tag        cosign's tag it is kept under ({@code sha256-HEX.sig}, {@code .att}, {@code .sbom}),
 *                   or null for an OCI 1.1 referrer, which is found through its {@code subject}
 * @param referrers  what is attached to this one (a signature of an SBOM), empty when nothing is
 *                   or the depth bound was reached
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers">OCI distribution spec: listing referrers</a>
 */
public record Referrer(Descriptor descriptor, Digest subject, String tag, List<Referrer> referrers) {

    public Referrer {
        referrers = List.copyOf(referrers);
    }

    public Digest digest() {
        return descriptor.digest();
    }

    /** The artifact type, or null (a cosign tag's manifest). */
    public String artifactType() {
        return descriptor.artifactType();
    }

    /** The manifest's annotations as the listing gave them; empty when none. */
    public Map<String, String> annotations() {
        return descriptor.annotations();
    }

    /** How many manifests this one and its own referrers make, at every depth. */
    public int count() {
        return 1 + referrers.stream().mapToInt(Referrer::count).sum();
    }
}
