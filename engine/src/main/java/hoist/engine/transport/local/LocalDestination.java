package hoist.engine.transport.local;

import hoist.engine.image.Descriptor;
import hoist.engine.image.MediaTypes;
import hoist.engine.io.WriteFailure;
import hoist.engine.store.LocalStore;
import hoist.engine.store.Staging;
import hoist.engine.store.StoredAttachment;
import hoist.engine.transport.BlobInfo;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.IncomingBlob;
import hoist.engine.transport.RawManifest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes into the store: blobs are staged in a staging directory of this writer's own (reused
 * blobs pinned there), and published with the index update in one locked step at commit; without
 * a commit the staging directory is deleted.
 */
final class LocalDestination implements ImageDestination {

    private final ImageReference reference;
    private final LocalStore store;
    private final String name;
    private final Staging staging;
    private final Map<hoist.engine.image.Digest, LocalStore.Staged> staged = new ConcurrentHashMap<>();
    private RawManifest top;
    private final List<StoredAttachment> attachments = new java.util.ArrayList<>();

    LocalDestination(ImageReference reference, LocalStore store, String name) throws IOException {
        this.reference = reference;
        this.store = store;
        this.name = name;
        try {
            this.staging = store.openStaging();
        } catch (IOException e) {
            throw WriteFailure.explain(e, "to the local store " + store.root()).orElseThrow(() -> e);
        }
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
    public Optional<Descriptor> tryReuse(Descriptor blob) throws IOException {
        if (staged.containsKey(blob.digest())) {
            return Optional.of(blob);
        }
        Optional<LocalStore.Staged> kept = store.reuse(staging, blob.digest(), blob.size());
        kept.ifPresent(k -> staged.putIfAbsent(k.digest(), k));
        return kept.map(k -> blob);
    }

    @Override
    public Descriptor putBlob(InputStream stream, BlobInfo info) throws IOException {
        IncomingBlob incoming;
        try {
            incoming = IncomingBlob.receive(stream, info, staging.dir());
        } catch (IOException e) {
            throw WriteFailure.explain(e, "to the local store " + store.root()).orElseThrow(() -> e);
        }
        LocalStore.Staged blob = new LocalStore.Staged(incoming.digest(), incoming.size(), incoming.file());
        LocalStore.Staged previous = staged.putIfAbsent(blob.digest(), blob);
        if (previous != null) {
            Files.deleteIfExists(blob.file());
        }
        return new Descriptor(info.mediaType(), blob.digest(), blob.size());
    }

    @Override
    public void putInstanceManifest(RawManifest manifest) throws IOException {
        putBlob(new ByteArrayInputStream(manifest.bytes()), BlobInfo.ofManifest(manifest));
    }

    @Override
    public void putManifest(RawManifest manifest) throws IOException {
        putInstanceManifest(manifest);
        top = manifest;
    }

    /**
     * True: hoist's own store keeps no simple signatures (a pull checks them against the policy on
     * the way in). What is attached as referrers, cosign's signatures included, is kept.
     */
    @Override
    public boolean discardsSignatures() {
        return true;
    }

    /** Drops them, as {@link #discardsSignatures()} says. */
    @Override
    public void putSignatures(List<byte[]> signatures) {
    }

    @Override
    public boolean acceptsAttachments() {
        return true;
    }

    /** Staged like a list's instance; recorded in the store's {@code referrers.json} at commit, in the same step as the image. */
    @Override
    public void putAttachment(RawManifest manifest, String tag) throws IOException {
        putInstanceManifest(manifest);
        hoist.engine.image.Manifest parsed = manifest.parse();
        hoist.engine.image.Digest subject = parsed.subject() != null ? parsed.subject().digest() : subjectOfTag(tag);
        attachments.add(new StoredAttachment(manifest.digest(), parsed.mediaType(), subject, tag));
    }

    /** The manifest a cosign tag ({@code sha256-HEX.sig}) names; a manifest with neither subject nor such a tag is refused. */
    private hoist.engine.image.Digest subjectOfTag(String tag) {
        java.util.regex.Matcher m = tag == null ? null : COSIGN_TAG.matcher(tag);
        if (m == null || !m.matches()) {
            throw new hoist.engine.HoistException(reference.text() + ": an attached manifest needs a subject or a tag "
                    + "sha256-HEX.sig, .att or .sbom; got " + (tag == null ? "neither" : "the tag " + tag));
        }
        return hoist.engine.image.Digest.parse("sha256:" + m.group(1));
    }

    private static final java.util.regex.Pattern COSIGN_TAG = java.util.regex.Pattern.compile("sha256-([0-9a-f]{64})\\.(sig|att|sbom)");

    @Override
    public void commit() throws IOException {
        if (top == null && attachments.isEmpty()) {
            throw new IllegalStateException("commit before putManifest");
        }
        String mediaType = top == null ? null : top.mediaType() != null ? top.mediaType() : top.parse().mediaType();
        try {
            if (attachments.isEmpty()) {
                store.commit(List.copyOf(staged.values()), top.bytes(), mediaType, name);
            } else {
                store.commit(List.copyOf(staged.values()), top == null ? null : top.bytes(), mediaType, name, List.copyOf(attachments));
            }
        } catch (IOException e) {
            throw WriteFailure.explain(e, "the index of the local store " + store.root()).orElseThrow(() -> e);
        }
    }

    /** Removes the staging directory: after a commit only pins and duplicates are left in it. */
    @Override
    public void close() throws IOException {
        staging.close();
    }
}
