package hoist.engine.transport.registry;

import hoist.engine.image.Descriptor;
import hoist.engine.image.MediaTypes;
import hoist.engine.transport.BlobInfo;
import hoist.engine.transport.BlobKnowledge;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ManifestTypeRejectedException;
import hoist.engine.transport.RawManifest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes an image to a registry. Blobs and list instances (by digest) go up as they come; the
 * top-level manifest, which makes the image visible under its tag, is sent only at commit.
 */
final class RegistryDestination implements ImageDestination {

    private final RegistryReference reference;
    private final DockerReference target;
    private final RegistryClient client;
    private final BlobKnowledge knowledge;
    /** Uploads cut part-way whose sessions the registry kept, by the blob they were sending (the same BlobInfo is given again). */
    private final Map<BlobInfo, BlobUpload.Session> interrupted = Collections.synchronizedMap(new IdentityHashMap<>());
    private RawManifest top;
    /** Manifests attached to the image, sent after it at commit: each with its tag, or null for by digest. */
    private final List<Map.Entry<RawManifest, String>> attachments = new java.util.ArrayList<>();
    /** The manifest put last (an instance or the top level): the one {@link #putSignatures} is about. */
    private hoist.engine.image.Digest lastManifest;
    /** Signatures for the signature extension, by manifest, sent once the top-level manifest is. */
    private final Map<hoist.engine.image.Digest, List<byte[]>> signatures = new java.util.LinkedHashMap<>();

    /** {@code target} is where registries.conf sends the reference. */
    RegistryDestination(RegistryReference reference, DockerReference target, RegistryClient client, BlobKnowledge knowledge) {
        this.reference = reference;
        this.target = target;
        this.client = client;
        this.knowledge = knowledge;
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    @Override
    public List<String> supportedManifestTypes() {
        return MediaTypes.IMAGES_AND_LISTS;
    }

    @Override
    public boolean compressesLayers() {
        return true;
    }

    @Override
    public boolean acceptsForeignLayerUrls() {
        return true;
    }

    /**
     * The blob when the repository has it already ({@code HEAD}), empty otherwise.
     *
     * @throws RegistryException when the registry answers neither yes nor no (401, 403, 5xx)
     */
    @Override
    public Optional<Descriptor> tryReuse(Descriptor blob) throws IOException {
        if (!client.blobExists(blob.digest())) {
            return Optional.empty();
        }
        knowledge.seen(blob.digest(), target.name());
        return Optional.of(blob);
    }

    /** Every repository of a registry: a blob uploaded to one can be mounted into the others. */
    @Override
    public Optional<String> sharedBlobStore() {
        return Optional.of(target.domain());
    }

    /**
     * Mounts from a repository of the same registry where the blob was seen (by the blob
     * knowledge), newest first; returns the repository it came from, empty when none would give it.
     *
     * @throws RegistryException when the registry answers a mount with an error other than a refusal
     */
    @Override
    public Optional<String> tryMount(Descriptor blob) throws IOException {
        String registry = target.domain() + "/";
        for (String location : knowledge.locations(blob.digest())) {
            if (!location.startsWith(registry) || location.equals(target.name())) {
                continue;
            }
            String repository = location.substring(registry.length());
            if (client.mount(blob.digest(), repository)) {
                knowledge.seen(blob.digest(), target.name());
                return Optional.of(repository);
            }
        }
        return Optional.empty();
    }

    /**
     * Streams the blob up. When an earlier call with this same {@code info} was cut and the
     * registry kept its session, this call's stream is a new read of the same bytes and the upload
     * goes on from where the registry holds it.
     *
     * @throws hoist.engine.transport.UploadLostException when cut: call again with a new read (see {@link RegistryClient#upload})
     */
    @Override
    public Descriptor putBlob(InputStream stream, BlobInfo info) throws IOException {
        BlobUpload.Session resume = interrupted.remove(info);
        RegistryClient.UploadedBlob uploaded;
        try {
            uploaded = resume == null ? client.upload(stream, info.digest(), info.size())
                    : client.resume(resume, stream, info.digest(), info.size());
        } catch (UploadInterruptedException e) {
            interrupted.put(info, e.session());
            throw e;
        }
        knowledge.seen(uploaded.digest(), target.name());
        return new Descriptor(info.mediaType(), uploaded.digest(), uploaded.size());
    }

    @Override
    public void putInstanceManifest(RawManifest manifest) throws IOException {
        putManifestAs(manifest.digest().toString(), manifest);
        lastManifest = manifest.digest();
    }

    @Override
    public void putManifest(RawManifest manifest) {
        top = manifest;
        lastManifest = manifest.digest();
    }

    /** Whether the registry keeps simple signatures itself ({@code X-Registry-Supports-Signatures}). */
    @Override
    public boolean supportsSignatures() {
        return client.signatureExtension().isPresent();
    }

    /** Simple signatures of the manifest put last, for the registry's signature extension; sent at {@link #commit}. */
    @Override
    public void putSignatures(List<byte[]> value) {
        if (!value.isEmpty()) {
            signatures.put(lastManifest, List.copyOf(value));
        }
    }

    /**
     * Sends the top-level manifest under the reference's tag or digest: the image becomes visible;
     * then the signatures put, which the registry keeps only of manifests it has.
     *
     * @throws RegistryException when the registry refuses the manifest or a signature
     */
    @Override
    public void commit() throws IOException {
        if (top != null) { // null: only attachments to an image already there
            putManifestAs(target.digest() != null ? target.digest().toString() : target.tag(), top);
        }
        for (Map.Entry<hoist.engine.image.Digest, List<byte[]>> entry : signatures.entrySet()) {
            client.signatureExtension().orElseThrow().add(entry.getKey(), entry.getValue());
        }
        for (Map.Entry<RawManifest, String> attachment : attachments) {
            sendAttachment(attachment.getKey(), attachment.getValue());
        }
    }

    @Override
    public boolean acceptsAttachments() {
        return true;
    }

    /** Kept until {@link #commit}, which sends it after the image. */
    @Override
    public void putAttachment(RawManifest manifest, String tag) {
        attachments.add(Map.entry(manifest, tag == null ? "" : tag));
    }

    /**
     * Sends an attached manifest by digest (or tag); a referrer the registry did not acknowledge
     * with {@code OCI-Subject} is added to the referrers tag schema's index of its subject.
     *
     * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests-with-subject">OCI distribution spec: pushing manifests with subject</a>
     */
    private void sendAttachment(RawManifest manifest, String tag) throws IOException {
        boolean honoured = client.putManifest(tag.isEmpty() ? manifest.digest().toString() : tag, manifest);
        hoist.engine.image.Manifest parsed = manifest.parse();
        if (honoured || parsed.subject() == null) {
            return;
        }
        String indexTag = hoist.engine.image.ReferrerTags.fallbackTag(parsed.subject().digest());
        Optional<RawManifest> current = client.taggedManifest(indexTag);
        hoist.engine.image.ManifestList list = null;
        if (current.isPresent()) {
            if (!(current.get().parse() instanceof hoist.engine.image.ManifestList existing)) {
                throw new hoist.engine.HoistException(reference.text() + ": the referrers tag " + indexTag
                        + " holds an image, not an index of referrers");
            }
            list = existing;
        }
        hoist.engine.image.Descriptor entry = hoist.engine.image.ReferrerTags.describe(parsed);
        if (list != null && list.manifests().contains(entry)) {
            return;
        }
        client.putManifest(indexTag, RawManifest.of(hoist.engine.image.ReferrerTags.withReferrer(list, entry)));
    }

    /** Puts a manifest; a refusal of its type is a {@link ManifestTypeRejectedException}, the copier's cue to try another format. */
    private void putManifestAs(String tagOrDigest, RawManifest manifest) throws IOException {
        try {
            client.putManifest(tagOrDigest, manifest);
        } catch (RegistryException e) {
            if (rejectsType(e)) {
                throw new ManifestTypeRejectedException(e);
            }
            throw e;
        }
    }

    /**
     * Whether the registry refused the manifest's type: 415, or a 400 whose error is
     * {@code MANIFEST_INVALID} or {@code TAG_INVALID} (docker/distribution's answer to a type it
     * cannot parse), or that names the manifest in its message.
     */
    static boolean rejectsType(RegistryException e) {
        if (e.status() == 415) {
            return true;
        }
        if (e.status() != 400) {
            return false;
        }
        String message = e.getMessage();
        int detail = message.indexOf(": ", message.indexOf("writing manifest"));
        String said = detail < 0 ? message : message.substring(detail + 2);
        if (said.contains("BLOB_UNKNOWN")) {
            return false; // the manifest's type was understood; a blob it names is missing
        }
        return said.contains("MANIFEST_INVALID") || said.contains("TAG_INVALID")
                || said.toLowerCase(java.util.Locale.ROOT).contains("manifest");
    }

    @Override
    public void close() {
        // blobs already uploaded stay: unreferenced, the registry's garbage collection removes them
    }
}
