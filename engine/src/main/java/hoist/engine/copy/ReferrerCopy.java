package hoist.engine.copy;

import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.Manifest;
import hoist.engine.image.ManifestList;
import hoist.engine.referrers.Referrer;
import hoist.engine.referrers.Referrers;
import hoist.engine.transport.ImageSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --referrers}: after the image is written at each target and before it is committed, what
 * is attached to each manifest written (the image, or the list and each instance copied) is
 * copied there too, read once from the source whatever the number of targets. Attached manifests
 * name their subject by digest, so a manifest the copy rewrote (format or compression change)
 * cannot take them along: that target fails, before anything of it is visible. With
 * {@code --remove-signatures} the signatures among them stay behind.
 */
final class ReferrerCopy {

    private final ImageSource source;
    private final ProgressListener listener;
    private final Map<Digest, List<Referrer>> found = new HashMap<>();

    ReferrerCopy(ImageSource source, ProgressListener listener) {
        this.source = source;
        this.listener = listener;
    }

    /**
     * Copies what is attached to the manifests written at each live target of {@code written}.
     *
     * @param top the source's top-level manifest
     * @throws IOException when the source's attached manifests cannot be read (the whole copy fails)
     */
    void copy(Manifest top, List<Target> targets, Map<Target, Descriptor> written, CopyOptions options) throws IOException {
        Set<Digest> fromSource = new LinkedHashSet<>();
        fromSource.add(top.digest());
        if (top instanceof ManifestList list) {
            list.manifests().forEach(d -> fromSource.add(d.digest()));
        }
        for (Target target : targets) {
            if (!target.alive() || !written.containsKey(target) || target.top() == null) {
                continue;
            }
            List<Digest> subjects = new ArrayList<>();
            Manifest writtenTop = target.top();
            boolean subset = writtenTop instanceof ManifestList && !options.platforms().isEmpty();
            if (!subset) {
                subjects.add(writtenTop.digest());
            }
            if (writtenTop instanceof ManifestList list) {
                list.manifests().forEach(d -> subjects.add(d.digest()));
            }
            Digest changed = subjects.stream().filter(d -> !fromSource.contains(d)).findFirst().orElse(null);
            if (changed != null) {
                target.fail(new hoist.engine.HoistException("the manifest " + changed + " written there is not the source's "
                        + "(the copy changed its format or compression), and referrers name their subject by digest; "
                        + "copy with --preserve-digests, or without --referrers"));
                continue;
            }
            try {
                for (Digest subject : subjects) {
                    Referrers.copy(source, referrersOf(subject, options.removeSignatures()), target.destination(), r -> listener.on(
                            new CopyEvent.CopyingReferrer(r.digest(), r.artifactType(), r.tag(), r.subject())));
                }
            } catch (IOException | RuntimeException e) {
                if (e instanceof hoist.engine.io.DigestMismatchException) {
                    throw e; // the source is at fault, for every target
                }
                target.fail("the referrers", e);
            }
        }
    }

    private List<Referrer> referrersOf(Digest subject, boolean removeSignatures) throws IOException {
        List<Referrer> known = found.get(subject);
        if (known == null) {
            known = Referrers.find(source, subject, Referrers.MAX_DEPTH);
            found.put(subject, known);
        }
        return removeSignatures ? withoutSignatures(known) : known;
    }

    /** Artifact types of signatures: cosign's, and Notary Project's. */
    private static final Set<String> SIGNATURE_TYPES = Set.of("application/vnd.dev.cosign.artifact.sig.v1+json",
            "application/vnd.cncf.notary.signature");

    /**
     * {@code --remove-signatures}: what is attached without the signatures among it (cosign's
     * {@code .sig} tags, and referrers of a signature artifact type), at every level.
     */
    private static List<Referrer> withoutSignatures(List<Referrer> referrers) {
        return referrers.stream()
                .filter(r -> !(r.tag() != null && r.tag().endsWith(".sig")) && !SIGNATURE_TYPES.contains(r.artifactType()))
                .map(r -> new Referrer(r.descriptor(), r.subject(), r.tag(), withoutSignatures(r.referrers())))
                .toList();
    }
}
