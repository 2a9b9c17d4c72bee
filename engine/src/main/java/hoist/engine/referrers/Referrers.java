package hoist.engine.referrers;

import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.Manifest;
import hoist.engine.image.MediaTypes;
import hoist.engine.image.ReferrerTags;
import hoist.engine.image.VerifyingInputStream;
import hoist.engine.io.DigestMismatchException;
import hoist.engine.transport.BlobInfo;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.TransportContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Finds what is attached to a manifest, copies it along with the manifest, and attaches new
 * artifacts. Attached are OCI 1.1 referrers (manifests whose {@code subject} names the manifest:
 * {@link ImageSource#referrers}) and cosign's digest tags ({@code sha256-HEX.sig}, {@code .att},
 * {@code .sbom}: {@link ImageSource#taggedManifest}); what is attached to those is attached too,
 * to {@link #MAX_DEPTH} levels. Every manifest read is checked against its digest, and a listed
 * referrer whose {@code subject} names another manifest is left out: it is not attached here.
 *
 * <p>To attach a document to an image already written (an SBOM, a build record):
 * <pre>{@code
 * ImageManifest sbom = ImageManifest.artifact(subject, "application/spdx+json",
 *         List.of(new Descriptor("application/spdx+json", Digest.sha256(bytes), bytes.length)), Map.of());
 * Referrers.attach(Transports.parse("docker://registry.example/app:1"), context, sbom,
 *         Map.of(Digest.sha256(bytes), () -> new ByteArrayInputStream(bytes)));
 * }</pre>
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers">OCI distribution spec: listing referrers</a>
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/manifest.md#guidelines-for-artifact-usage">OCI image spec: artifacts</a>
 * @see <a href="https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md">cosign's signature specification</a>
 */
public final class Referrers {

    /** Levels of referrers followed: what is attached to a manifest (1), to those (2), and so on. */
    public static final int MAX_DEPTH = 4;

    private Referrers() {
    }

    /** The bytes of one blob of an artifact being attached, opened each time it is read. */
    @FunctionalInterface
    public interface BlobContent {
        /** A new stream of the blob's bytes, from its start; the caller closes it. */
        InputStream open() throws IOException;
    }

    /**
     * What is attached to {@code subject} at {@code source}, and to those in turn down to
     * {@code depth} levels ({@link #MAX_DEPTH} for the copy's bound): referrers in the order the
     * source lists them, then cosign's {@code .sig}, {@code .att}, {@code .sbom} tags. A manifest
     * met twice (a cycle, or one listed under two subjects) is given once.
     *
     * @param subject the digest of a manifest of the source (an image, a list, an instance)
     * @param depth   levels to follow, at least 1 to find anything
     * @return the attached manifests, each with its own; empty when nothing is attached
     * @throws HoistException when a listed manifest is missing, does not match its digest, or does not parse
     */
    public static List<Referrer> find(ImageSource source, Digest subject, int depth) throws IOException {
        Set<Digest> visited = new HashSet<>();
        visited.add(subject);
        return find(source, subject, depth, visited);
    }

    private static List<Referrer> find(ImageSource source, Digest subject, int depth, Set<Digest> visited) throws IOException {
        List<Referrer> found = new ArrayList<>();
        if (depth <= 0) {
            return found;
        }
        for (Descriptor listed : source.referrers(subject, null)) {
            if (visited.contains(listed.digest())) {
                continue;
            }
            Manifest manifest = read(source, listed.digest(), listed.mediaType());
            if (manifest.subject() == null || !manifest.subject().digest().equals(subject)) {
                continue; // a stale listing: this manifest is attached elsewhere, or to nothing
            }
            visited.add(listed.digest());
            found.add(new Referrer(ReferrerTags.describe(manifest), subject, null,
                    find(source, manifest.digest(), depth - 1, visited)));
        }
        for (String suffix : ReferrerTags.COSIGN_SUFFIXES) {
            String tag = ReferrerTags.cosignTag(subject, suffix);
            Optional<RawManifest> raw = source.taggedManifest(tag);
            if (raw.isEmpty()) {
                continue;
            }
            Manifest manifest = parse(source, raw.get(), null);
            if (!visited.add(manifest.digest())) {
                continue;
            }
            Descriptor descriptor = new Descriptor(manifest.mediaType(), manifest.digest(), manifest.raw().length,
                    List.of(), manifest.annotations(), null, manifest.artifactType());
            found.add(new Referrer(descriptor, subject, tag, find(source, manifest.digest(), depth - 1, visited)));
        }
        return found;
    }

    /**
     * Copies {@code referrers} (as {@link #find} gave them, with their own) from {@code source} to
     * {@code destination}, each after the manifest it is attached to: blobs the destination lacks,
     * then the manifest byte for byte ({@link ImageDestination#putAttachment}), under its cosign
     * tag when it has one. Visible with the destination's commit.
     *
     * @param onEach told of each manifest as its copy begins (for progress); never null
     * @throws HoistException when the destination keeps no attachments, or a referrer is an image
     *                        index (only image manifests are copied as referrers)
     */
    public static void copy(ImageSource source, List<Referrer> referrers, ImageDestination destination,
                            Consumer<Referrer> onEach) throws IOException {
        if (referrers.isEmpty()) {
            return;
        }
        if (!destination.acceptsAttachments()) {
            throw new HoistException(destination.reference().text() + ": this destination does not keep referrers; "
                    + "copy without --referrers");
        }
        for (Referrer referrer : referrers) {
            onEach.accept(referrer);
            Manifest manifest = read(source, referrer.digest(), referrer.descriptor().mediaType());
            if (!(manifest instanceof ImageManifest artifact)) {
                throw new HoistException(source.reference().text() + ": the referrer " + referrer.digest() + " of "
                        + referrer.subject() + " is an image index; only image manifests are copied as referrers");
            }
            putBlob(source, artifact.config(), destination, BlobInfo.Kind.CONFIG);
            for (Descriptor layer : artifact.layers()) {
                putBlob(source, layer, destination, BlobInfo.Kind.LAYER);
            }
            destination.putAttachment(new RawManifest(artifact.raw(), artifact.mediaType()), referrer.tag());
            copy(source, referrer.referrers(), destination, onEach);
        }
    }

    /**
     * Puts the artifact {@code artifact} into an open destination: the blobs it names that the
     * destination lacks (the empty config's two bytes need not be given), then the manifest, by
     * digest. It becomes visible, listed among its subject's referrers, when the caller commits
     * the destination.
     *
     * @param artifact an OCI image manifest with a {@code subject}, as {@link ImageManifest#artifact} makes
     * @param blobs    the content of each blob by digest
     * @throws HoistException when the manifest has no subject, a blob is neither given nor at the
     *                        destination, or the destination keeps no referrers
     */
    public static void put(ImageDestination destination, ImageManifest artifact, Map<Digest, BlobContent> blobs)
            throws IOException {
        if (artifact.subject() == null) {
            throw new HoistException(destination.reference().text() + ": the artifact " + artifact.digest()
                    + " names no subject to be attached to");
        }
        if (!destination.acceptsAttachments()) {
            throw new HoistException(destination.reference().text() + ": this destination does not keep referrers");
        }
        List<Descriptor> all = new ArrayList<>();
        all.add(artifact.config());
        all.addAll(artifact.layers());
        for (int i = 0; i < all.size(); i++) {
            Descriptor blob = all.get(i);
            if (destination.tryReuse(blob).isPresent()) {
                continue;
            }
            BlobContent content = blobs.get(blob.digest());
            if (content == null && blob.digest().equals(ImageManifest.EMPTY.digest())) {
                content = () -> new ByteArrayInputStream(ImageManifest.EMPTY_BYTES);
            }
            if (content == null) {
                throw new HoistException(destination.reference().text() + ": no content given for the blob "
                        + blob.digest() + " of the artifact " + artifact.digest());
            }
            try (InputStream in = new VerifyingInputStream(content.open(), blob.digest(), blob.size(), "blob " + blob.digest())) {
                destination.putBlob(in, BlobInfo.known(blob, i == 0 ? BlobInfo.Kind.CONFIG : BlobInfo.Kind.LAYER));
            }
        }
        destination.putAttachment(new RawManifest(artifact.raw(), artifact.mediaType()), null);
    }

    /**
     * Attaches {@code artifact} to a manifest already written at {@code location} (the image's
     * reference: {@code docker://REPO:TAG}, {@code oci:DIR:REF}, a local image), as
     * {@link #put} does, and commits: the image itself is not written again. Nothing is visible
     * when it fails.
     *
     * @return the artifact's digest
     * @throws HoistException as {@link #put} does, or when the location cannot be written
     */
    public static Digest attach(ImageReference location, TransportContext context, ImageManifest artifact,
                                Map<Digest, BlobContent> blobs) throws IOException {
        try (ImageDestination destination = location.openDestination(context)) {
            put(destination, artifact, blobs);
            destination.commit();
        }
        return artifact.digest();
    }

    private static Manifest read(ImageSource source, Digest digest, String mediaType) throws IOException {
        RawManifest raw = source.manifest(digest);
        if (!digest.matches(raw.bytes())) {
            throw new DigestMismatchException(source.reference().text() + ": manifest " + digest + " does not match its content");
        }
        return parse(source, raw, mediaType);
    }

    private static Manifest parse(ImageSource source, RawManifest raw, String mediaType) {
        try {
            return Manifest.parse(raw.bytes(), raw.mediaType() != null && !raw.mediaType().isEmpty() ? raw.mediaType() : mediaType);
        } catch (HoistException e) {
            throw new HoistException(source.reference().text() + ": attached manifest " + raw.digest() + ": " + e.getMessage(), e);
        }
    }

    private static void putBlob(ImageSource source, Descriptor blob, ImageDestination destination, BlobInfo.Kind kind)
            throws IOException {
        if (destination.tryReuse(blob).isPresent()) {
            return;
        }
        if (MediaTypes.isNonDistributable(blob.mediaType()) && !blob.urls().isEmpty() && destination.acceptsForeignLayerUrls()) {
            return;
        }
        try (InputStream in = new VerifyingInputStream(source.blob(blob), blob.digest(), blob.size(),
                source.reference().text() + ": blob " + blob.digest())) {
            destination.putBlob(in, BlobInfo.known(blob, kind));
        }
    }
}
