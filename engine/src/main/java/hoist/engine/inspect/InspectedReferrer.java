package hoist.engine.inspect;

import hoist.engine.image.Digest;
import hoist.engine.image.ManifestList;
import hoist.engine.referrers.Referrer;
import hoist.engine.referrers.Referrers;
import hoist.engine.transport.ImageSource;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A manifest attached to an inspected one, as a script sees it
 * ({@code inspect(ref).referrers.each { println it.artifactType }}): an OCI 1.1 referrer, or a
 * manifest at one of cosign's {@code sha256-HEX.sig}/{@code .att}/{@code .sbom} tags.
 *
 * @param digest       the attached manifest's digest, {@code sha256:...}
 * @param mediaType    its media type
 * @param size         its size in bytes
 * @param artifactType what it is ({@code application/spdx+json}, ...): the manifest's
 *                     {@code artifactType}, else its config's media type; null for a cosign tag's
 *                     manifest, which names none
 * @param tag          cosign's tag it is kept under, or null for a referrer
 * @param annotations  its annotations as listed; empty for none
 * @param referrers    what is attached to it in turn, to {@link Referrers#MAX_DEPTH} levels
 * @see Referrers
 */
public record InspectedReferrer(String digest, String mediaType, long size, String artifactType, String tag,
                                Map<String, String> annotations, List<InspectedReferrer> referrers) {

    public InspectedReferrer {
        annotations = Map.copyOf(annotations);
        referrers = List.copyOf(referrers);
    }

    static InspectedReferrer of(Referrer referrer) {
        return new InspectedReferrer(referrer.digest().toString(), referrer.descriptor().mediaType(),
                referrer.descriptor().size(), referrer.artifactType(), referrer.tag(), referrer.annotations(),
                referrer.referrers().stream().map(InspectedReferrer::of).toList());
    }

    /**
     * What is attached to each manifest of {@code content} (the top level and, for a list, each
     * entry), by manifest digest; manifests with nothing attached are left out.
     *
     * @throws IOException when the source's attached manifests cannot be listed or read
     */
    public static Map<Digest, List<InspectedReferrer>> attachedTo(ImageSource source, ImageContent content) throws IOException {
        Map<Digest, List<InspectedReferrer>> attached = new HashMap<>();
        find(source, content.raw().digest(), attached);
        if (content.manifest() instanceof ManifestList list) {
            for (var entry : list.manifests()) {
                find(source, entry.digest(), attached);
            }
        }
        return attached;
    }

    private static void find(ImageSource source, Digest subject, Map<Digest, List<InspectedReferrer>> attached) throws IOException {
        List<Referrer> found = Referrers.find(source, subject, Referrers.MAX_DEPTH);
        if (!found.isEmpty()) {
            attached.put(subject, found.stream().map(InspectedReferrer::of).toList());
        }
    }
}
