package hoist.engine.transport.oci;

import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.InvalidManifestException;
import hoist.engine.image.Manifest;
import hoist.engine.image.MediaTypes;
import hoist.engine.image.ReferrerTags;
import hoist.engine.io.DigestMismatchException;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;

import java.io.IOException;
import java.io.InputStream;

/** Reads one image (or list) of an OCI layout, wherever its files are kept. */
public final class OciSource implements ImageSource {

    private final ImageReference reference;
    private final LayoutFiles files;
    private final Descriptor top;
    private final Runnable onClose;

    /** Opens the entry {@code ref} names (or the only one); {@code onClose} releases what the files hold. */
    public static OciSource open(ImageReference reference, LayoutFiles files, String ref, Runnable onClose) throws IOException {
        Descriptor top = OciLayout.find(OciLayout.readIndex(files), ref, reference.text());
        return new OciSource(reference, files, top, onClose);
    }

    private OciSource(ImageReference reference, LayoutFiles files, Descriptor top, Runnable onClose) {
        this.reference = reference;
        this.files = files;
        this.top = top;
        this.onClose = onClose;
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    /**
     * The entry's {@code org.opencontainers.image.ref.name} when it is a full reference
     * ({@code example.com/team/app:1.0}), normalized; a plain tag ({@code app}) names no image.
     */
    @Override
    public java.util.List<String> imageNames() {
        String name = top.annotations() == null ? null : top.annotations().get(OciLayout.REF_NAME);
        if (name == null || !DockerReference.isQualified(name)) {
            return java.util.List.of();
        }
        try {
            return java.util.List.of(DockerReference.parse(name).withDefaultTag().toString());
        } catch (HoistException e) {
            return java.util.List.of();
        }
    }

    @Override
    public RawManifest manifest(Digest instance) throws IOException {
        Digest digest = instance == null ? top.digest() : instance;
        String path = OciLayout.blobPath(digest);
        if (!files.exists(path)) {
            throw new HoistException(reference.text() + ": manifest " + digest + " is missing from the layout");
        }
        byte[] bytes = OciLayout.readAtMost(files, path, OciLayout.MAX_MANIFEST_BYTES, reference.text() + ": manifest " + digest);
        if (!digest.matches(bytes)) {
            throw new DigestMismatchException(reference.text() + ": manifest " + digest + " does not match its content");
        }
        if (instance == null && top.size() >= 0 && top.size() != bytes.length) {
            throw new HoistException(reference.text() + ": manifest " + digest + " has " + bytes.length
                    + " bytes, but index.json declares " + top.size());
        }
        return new RawManifest(bytes, instance == null ? top.mediaType() : null);
    }

    /**
     * The manifests named in index.json whose {@code subject} is {@code subject}, as oras and the
     * OCI image layout keep referrers: each entry's manifest is read to know its subject.
     */
    @Override
    public java.util.List<Descriptor> referrers(Digest subject, String artifactType) throws IOException {
        java.util.List<Descriptor> found = new java.util.ArrayList<>();
        java.util.Set<Digest> seen = new java.util.HashSet<>();
        for (Descriptor entry : OciLayout.readIndex(files).manifests()) {
            if (!MediaTypes.isOci(entry.mediaType()) || entry.digest().equals(subject) || !seen.add(entry.digest())
                    || !files.exists(OciLayout.blobPath(entry.digest()))) {
                continue;
            }
            Manifest manifest;
            try {
                manifest = Manifest.parse(files.readAll(OciLayout.blobPath(entry.digest())), entry.mediaType());
            } catch (InvalidManifestException e) {
                continue; // not a manifest this layout's referrers can be: reading that entry says what is wrong
            }
            if (manifest.subject() != null && manifest.subject().digest().equals(subject)) {
                Descriptor described = ReferrerTags.describe(manifest);
                if (artifactType == null || artifactType.equals(described.artifactType())) {
                    found.add(described);
                }
            }
        }
        return found;
    }

    /** The manifest of the entry whose {@code org.opencontainers.image.ref.name} is {@code tag}. */
    @Override
    public java.util.Optional<RawManifest> taggedManifest(String tag) throws IOException {
        for (Descriptor entry : OciLayout.readIndex(files).manifests()) {
            if (tag.equals(entry.annotations().get(OciLayout.REF_NAME))) {
                return java.util.Optional.of(new RawManifest(manifest(entry.digest()).bytes(), entry.mediaType()));
            }
        }
        return java.util.Optional.empty();
    }

    @Override
    public InputStream blob(Descriptor blob) throws IOException {
        String path = OciLayout.blobPath(blob.digest());
        if (!files.exists(path)) {
            throw new HoistException(reference.text() + ": blob " + blob.digest() + " is missing from the layout");
        }
        return files.open(path);
    }

    @Override
    public void close() {
        onClose.run();
    }
}
