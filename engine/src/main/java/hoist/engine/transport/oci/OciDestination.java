package hoist.engine.transport.oci;

import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.ManifestFormat;
import hoist.engine.image.ManifestList;
import hoist.engine.image.MediaTypes;
import hoist.engine.image.ReferrerTags;
import hoist.engine.io.AtomicFiles;
import hoist.engine.transport.BlobInfo;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.IncomingBlob;
import hoist.engine.transport.RawManifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes an image into an OCI layout directory. Blobs go straight to {@code blobs/} under
 * temporary names renamed when complete; index.json changes only at {@link #commit()}, so readers
 * never see the image half there. Without a commit, every blob this destination added is removed,
 * and so is the layout itself if this destination created it.
 */
public final class OciDestination implements ImageDestination {

    private final ImageReference reference;
    private final Path root;
    private final Path blobs;
    private final String ref;
    private final boolean createdLayout;
    private final boolean durable;
    private final Set<Path> added = ConcurrentHashMap.newKeySet();
    private RawManifest top;
    /** Entries of manifests attached to the image, added to index.json at commit. */
    private final List<Descriptor> attachments = new ArrayList<>();
    private boolean committed;

    public OciDestination(ImageReference reference, Path root, String ref) throws IOException {
        this(reference, root, ref, true);
    }

    /**
     * {@code durable} false skips forcing blobs to disk: for a layout staged to be packed into an
     * archive, which is forced as a whole.
     */
    public OciDestination(ImageReference reference, Path root, String ref, boolean durable) throws IOException {
        this(reference, root, ref, durable, null);
    }

    /**
     * As {@link #OciDestination(ImageReference, Path, String, boolean)}, with blobs (manifests
     * included) written to {@code sharedBlobDir/ALG/HEX} instead of the layout's {@code blobs/};
     * null: the layout's own. index.json and oci-layout stay in {@code root}.
     *
     * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">OCI image layout</a>
     */
    public OciDestination(ImageReference reference, Path root, String ref, boolean durable, Path sharedBlobDir)
            throws IOException {
        this.reference = reference;
        this.blobs = sharedBlobDir == null ? root.resolve("blobs") : sharedBlobDir;
        this.durable = durable;
        this.root = root;
        this.ref = ref;
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new HoistException(reference.text() + ": " + root + " exists and is not a directory");
        }
        this.createdLayout = !Files.exists(root.resolve(OciLayout.LAYOUT_FILE));
        if (!createdLayout) {
            OciLayout.readIndex(new DirectoryFiles(root)); // refuse to add to a broken layout
        }
        Files.createDirectories(root);
        if (sharedBlobDir != null) {
            Files.createDirectories(root.resolve("blobs"));
        }
    }

    private Path blobFile(hoist.engine.image.Digest digest) {
        return blobs.resolve(digest.algorithm()).resolve(digest.hex());
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    @Override
    public List<String> supportedManifestTypes() {
        return List.of(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX);
    }

    /** Docker schema2 manifests and lists too, only when asked for: index.json may name any manifest. */
    @Override
    public List<String> manifestTypesWhenAsked() {
        return List.of(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_LIST);
    }

    @Override
    public boolean compressesLayers() {
        return true;
    }

    @Override
    public Optional<Descriptor> tryReuse(Descriptor blob) throws IOException {
        Path file = blobFile(blob.digest());
        if (Files.isRegularFile(file) && Files.size(file) == blob.size()) {
            return Optional.of(blob);
        }
        return Optional.empty();
    }

    @Override
    public Descriptor putBlob(InputStream stream, BlobInfo info) throws IOException {
        IncomingBlob blob = IncomingBlob.receive(stream, info, blobs.resolve("sha256"), durable);
        Path target = blobFile(blob.digest());
        if (!Files.exists(target)) {
            added.add(target);
        }
        blob.moveTo(target);
        return new Descriptor(info.mediaType(), blob.digest(), blob.size());
    }

    @Override
    public void putInstanceManifest(RawManifest manifest) throws IOException {
        storeManifest(manifest);
    }

    @Override
    public void putManifest(RawManifest manifest) throws IOException {
        storeManifest(manifest);
        top = manifest;
    }

    private void storeManifest(RawManifest manifest) throws IOException {
        Path target = blobFile(manifest.digest());
        if (!Files.exists(target)) {
            added.add(target);
            AtomicFiles.write(target, manifest.bytes());
        }
    }

    @Override
    public boolean acceptsAttachments() {
        return true;
    }

    /**
     * Stores the manifest among the blobs; at commit index.json names it: under {@code tag} as an
     * entry's {@code org.opencontainers.image.ref.name}, or, a referrer, by an entry with its
     * {@code artifactType} and annotations, found again by reading its {@code subject}.
     */
    @Override
    public void putAttachment(RawManifest manifest, String tag) throws IOException {
        storeManifest(manifest);
        Descriptor entry = ReferrerTags.describe(manifest.parse());
        if (tag != null) {
            entry = new Descriptor(entry.mediaType(), entry.digest(), entry.size()).withAnnotations(Map.of(OciLayout.REF_NAME, tag));
        }
        attachments.add(entry);
    }

    /** Writes oci-layout (if new) and index.json with this image's entry, replacing one with the same REF. */
    @Override
    public void commit() throws IOException {
        if (top == null && attachments.isEmpty()) {
            throw new IllegalStateException("commit before putManifest");
        }
        if (createdLayout) {
            AtomicFiles.write(root.resolve(OciLayout.LAYOUT_FILE), OciLayout.LAYOUT_VERSION_JSON.getBytes(StandardCharsets.UTF_8));
        }
        List<Descriptor> entries = new ArrayList<>();
        Path indexFile = root.resolve(OciLayout.INDEX_FILE);
        if (Files.exists(indexFile)) {
            entries.addAll(OciLayout.readIndex(new DirectoryFiles(root)).manifests());
        }
        if (top != null) { // null: only attachments to an image already there
            entries.add(imageEntry(entries));
        }
        for (Descriptor attached : attachments) {
            String tag = attached.annotations().get(OciLayout.REF_NAME);
            entries.removeIf(d -> tag != null ? tag.equals(d.annotations().get(OciLayout.REF_NAME))
                    : d.digest().equals(attached.digest()) && !d.annotations().containsKey(OciLayout.REF_NAME));
            entries.add(attached);
        }
        ManifestList index = ManifestList.of(ManifestFormat.OCI, entries, Map.of());
        AtomicFiles.write(indexFile, index.raw());
        committed = true;
    }

    /** The image's entry, named by REF; the entry it replaces (same REF, or unnamed with the same digest) leaves {@code entries}. */
    private Descriptor imageEntry(List<Descriptor> entries) {
        Descriptor entry = new Descriptor(top.mediaType(), top.digest(), top.bytes().length);
        if (ref != null && !ref.isEmpty()) {
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put(OciLayout.REF_NAME, ref);
            entries.removeIf(d -> ref.equals(d.annotations().get(OciLayout.REF_NAME)));
            return entry.withAnnotations(annotations);
        }
        entries.removeIf(d -> d.digest().equals(entry.digest()) && !d.annotations().containsKey(OciLayout.REF_NAME));
        return entry;
    }

    @Override
    public void close() throws IOException {
        if (committed) {
            return;
        }
        for (Path blob : added) {
            Files.deleteIfExists(blob);
        }
        if (createdLayout) {
            AtomicFiles.deleteTree(root);
        }
    }
}
