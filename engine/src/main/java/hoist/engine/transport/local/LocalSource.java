package hoist.engine.transport.local;

import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.Manifest;
import hoist.engine.image.ReferrerTags;
import hoist.engine.store.StoredAttachment;
import hoist.engine.store.LocalStore;
import hoist.engine.store.StoredImage;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** Reads a stored image. */
final class LocalSource implements ImageSource {

    private final ImageReference reference;
    private final LocalStore store;
    private final StoredImage image;

    LocalSource(ImageReference reference, LocalStore store, StoredImage image) {
        this.reference = reference;
        this.store = store;
        this.image = image;
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    @Override
    public RawManifest manifest(Digest instance) throws IOException {
        Digest digest = instance == null ? image.manifestDigest() : instance;
        if (!store.hasBlob(digest, -1)) {
            throw new HoistException(reference.text() + ": manifest " + digest + " is not in the local store");
        }
        try (InputStream in = store.openBlob(digest)) {
            return new RawManifest(in.readAllBytes(), instance == null ? image.mediaType() : null);
        }
    }

    /** The store's {@code referrers.json} entries attached to {@code subject}, each described from its manifest. */
    @Override
    public List<Descriptor> referrers(Digest subject, String artifactType) throws IOException {
        List<Descriptor> found = new java.util.ArrayList<>();
        for (StoredAttachment attachment : store.attachments()) {
            if (attachment.tag() == null && attachment.subject().equals(subject)) {
                Descriptor described = ReferrerTags.describe(Manifest.parse(manifest(attachment.digest()).bytes(),
                        attachment.mediaType()));
                if (artifactType == null || artifactType.equals(described.artifactType())) {
                    found.add(described);
                }
            }
        }
        return found;
    }

    @Override
    public java.util.Optional<RawManifest> taggedManifest(String tag) throws IOException {
        for (StoredAttachment attachment : store.attachments()) {
            if (tag.equals(attachment.tag())) {
                return java.util.Optional.of(new RawManifest(manifest(attachment.digest()).bytes(), attachment.mediaType()));
            }
        }
        return java.util.Optional.empty();
    }

    @Override
    public InputStream blob(Descriptor blob) throws IOException {
        return store.openBlob(blob.digest());
    }

    /** Every name of the image in the store ({@code localhost/app:1}, ...), as podman inspect lists them. */
    @Override
    public List<String> repositoryTags() {
        return image.names();
    }
}
