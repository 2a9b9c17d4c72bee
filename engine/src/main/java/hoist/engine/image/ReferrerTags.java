package hoist.engine.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tags under which manifests attached to another manifest are kept in a repository without
 * the referrers API: the OCI 1.1 referrers tag schema ({@code sha256-HEX}, an image index of the
 * referrers' descriptors) and cosign's digest tags ({@code sha256-HEX.sig}, {@code .att},
 * {@code .sbom}), each named after the digest of the manifest they are attached to.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#referrers-tag-schema">OCI distribution spec: referrers tag schema</a>
 * @see <a href="https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md">cosign's signature specification</a>
 */
public final class ReferrerTags {

    /** cosign's suffixes, in the order hoist looks for them: signatures, attestations, SBOMs. */
    public static final List<String> COSIGN_SUFFIXES = List.of("sig", "att", "sbom");

    private ReferrerTags() {
    }

    /** {@code ALG-HEX}: the referrers tag schema's tag of the index listing the referrers of {@code subject}. */
    public static String fallbackTag(Digest subject) {
        return subject.algorithm() + "-" + subject.hex();
    }

    /** {@code ALG-HEX.SUFFIX}: cosign's tag of what is attached to {@code subject} ({@code suffix}: sig, att or sbom). */
    public static String cosignTag(Digest subject, String suffix) {
        return fallbackTag(subject) + "." + suffix;
    }

    /**
     * The descriptor a referrers list gives of {@code referrer}: its media type, digest and size
     * (bytes), its {@code artifactType} (the manifest's own, or else its config's media type, as
     * the distribution spec says) and its annotations.
     */
    public static Descriptor describe(Manifest referrer) {
        String artifactType = referrer.artifactType();
        Map<String, String> annotations = referrer.annotations();
        if (artifactType == null && referrer instanceof ImageManifest image) {
            artifactType = image.config().mediaType();
        }
        return new Descriptor(referrer.mediaType(), referrer.digest(), referrer.raw().length, List.of(),
                annotations, null, artifactType);
    }

    /**
     * The referrers tag schema's index with {@code added} in it: {@code current}'s descriptors (none
     * when null), the one with the same digest replaced, {@code added} last.
     */
    public static ManifestList withReferrer(ManifestList current, Descriptor added) {
        List<Descriptor> entries = new ArrayList<>();
        if (current != null) {
            current.manifests().stream().filter(d -> !d.digest().equals(added.digest())).forEach(entries::add);
        }
        entries.add(added);
        return ManifestList.of(ManifestFormat.OCI, entries, Map.of());
    }
}
