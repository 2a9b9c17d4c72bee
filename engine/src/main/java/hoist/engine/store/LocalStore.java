package hoist.engine.store;

import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.Manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The embedded store. Blobs (manifests included) live under {@code blobs/sha256/HEX} exactly as
 * received ({@link BlobStore}); {@code images.json} lists the images and their names
 * ({@link ImageIndex}, read and written by {@link ImageIndexFile}). Writers stage blobs in
 * {@code tmp/} and publish them with the index update in one locked step, so garbage collection
 * (also locked) never removes what a concurrent writer is about to reference.
 *
 * <p>Every change has one shape ({@link #update}): take the store lock, read the index, transform
 * it (a pure function of the index, with the blobs it needs published first), write it, and for
 * removals sweep the blobs no image references any more.
 */
public final class LocalStore {

    private final Path root;
    private final BlobStore blobs;

    private LocalStore(Path root) {
        this.root = root;
        this.blobs = new BlobStore(root);
    }

    /**
     * Opens the store at {@code root}, making it when missing: the root private to its owner
     * (0700, as podman's storage), so the files inside may have the umask's modes.
     *
     * @throws IOException when the directories cannot be made
     */
    public static LocalStore open(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root.toAbsolutePath().getParent());
            try {
                Files.createDirectory(root, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made by another process meanwhile
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(root); // not a POSIX file system
            }
        }
        Files.createDirectories(root.resolve("blobs").resolve("sha256"));
        Files.createDirectories(root.resolve("tmp"));
        return new LocalStore(root);
    }

    /** The store's directory. */
    public Path root() {
        return root;
    }

    /** Where the blob {@code digest} is (or would be) kept: {@code ROOT/blobs/sha256/HEX}. */
    public Path blobPath(Digest digest) {
        return blobs.path(digest);
    }

    /** Whether the store has the blob, of {@code size} bytes ({@code size < 0}: any size). */
    public boolean hasBlob(Digest digest, long size) throws IOException {
        return blobs.has(digest, size);
    }

    /**
     * The blob's bytes, as received; the caller closes the stream.
     *
     * @throws HoistException when the blob is missing (the message suggests {@code hoist check})
     */
    public InputStream openBlob(Digest digest) throws IOException {
        return blobs.open(digest);
    }

    /**
     * Every image of the store, oldest written first, as the index says now (no lock: a reader
     * sees the index before or after a concurrent change, never half of one).
     *
     * @throws HoistException when {@code images.json} is damaged
     */
    public List<StoredImage> images() throws IOException {
        return index().images();
    }

    /**
     * The image a name, short name, ID or unique ID prefix names.
     *
     * @throws HoistException when none does or {@code text} is ambiguous, saying which
     */
    public StoredImage resolve(String text) throws IOException {
        return index().resolve(text);
    }

    /** As {@link #resolve}, empty when nothing matches. @throws HoistException when {@code text} is ambiguous */
    public Optional<StoredImage> find(String text) throws IOException {
        return index().find(text);
    }

    /**
     * The name of {@code image} that {@code text} (as given to {@link #resolve}) stands for, as a
     * full name ({@code REGISTRY/PATH:TAG}); empty when the text named the image by its ID.
     */
    public static Optional<String> nameMatched(StoredImage image, String text) {
        return ImageLookup.nameMatched(image, text);
    }

    /**
     * A staged blob: written (or pinned) in a staging directory, not yet part of the store.
     *
     * @param size bytes
     * @param file the staged file; null when the blob is reused without a pin (then the commit
     *             only checks it is still there)
     */
    public record Staged(Digest digest, long size, Path file) {
    }

    /** A new staging directory for one writer; blobs staged there are published by {@link #commit}. */
    public Staging openStaging() throws IOException {
        try (StoreLock lock = StoreLock.acquire(root.resolve("store.lock"))) {
            return Staging.create(root.resolve("tmp")); // locked: never seen half made by a writer collecting leftovers
        }
    }

    /**
     * Keeps a stored blob for a writer that reuses it: pinned in the writer's staging directory
     * so a concurrent removal cannot take its bytes. Empty when the blob is not (or no longer) here.
     *
     * @param size bytes, or {@code < 0} for any size
     */
    public Optional<Staged> reuse(Staging staging, Digest digest, long size) throws IOException {
        if (!blobs.has(digest, size)) {
            return Optional.empty();
        }
        return Optional.of(staging.pin(blobs.path(digest), digest).map(link -> new Staged(digest, size, link))
                .orElse(new Staged(digest, size, null)));
    }

    /**
     * Publishes staged blobs and records the image whose top-level manifest is {@code top} (of
     * media type {@code mediaType}), under {@code name} (taken from any image that had it), as the
     * newest image. One locked step.
     *
     * @return the image as stored, with every name it has
     * @throws HoistException when a blob the manifest needs is not in the store after publishing
     */
    public StoredImage commit(List<Staged> staged, byte[] top, String mediaType, String name) throws IOException {
        return update(index -> {
            blobs.publish(staged); // blobs reused without a pin: the check below finds them or says they vanished
            Manifest manifest = Manifest.parse(top, mediaType);
            blobs.requireAll(manifest);
            return Outcome.kept(index.store(entry(manifest, index), List.of(name), false));
        });
    }

    /**
     * As {@link #commit(List, byte[], String, String)}, and in the same locked step records
     * {@code attachments} (their manifests among {@code staged}): manifests attached to the image or
     * to another stored manifest. With {@code top} null only the attachments are recorded.
     *
     * @return the image as stored, or null when {@code top} is null
     * @throws HoistException when a blob an attachment needs is not in the store after publishing
     */
    public StoredImage commit(List<Staged> staged, byte[] top, String mediaType, String name,
                              List<StoredAttachment> attachments) throws IOException {
        return update(index -> {
            blobs.publish(staged);
            Outcome<StoredImage> outcome = Outcome.kept(new ImageIndex.Change<>(index, null));
            if (top != null) {
                Manifest manifest = Manifest.parse(top, mediaType);
                blobs.requireAll(manifest);
                outcome = Outcome.kept(index.store(entry(manifest, index), List.of(name), false));
            }
            List<StoredAttachment> recorded = attachments();
            for (StoredAttachment attachment : attachments) {
                blobs.requireAll(Manifest.parse(blobs.read(attachment.digest()), attachment.mediaType()));
                recorded.removeIf(a -> a.digest().equals(attachment.digest()) && java.util.Objects.equals(a.tag(), attachment.tag()));
                recorded.add(attachment);
            }
            StoredAttachment.write(root.resolve(StoredAttachment.FILE), recorded);
            return outcome;
        });
    }

    /** Every manifest attached to a stored one, oldest first. */
    public List<StoredAttachment> attachments() throws IOException {
        return StoredAttachment.read(root.resolve(StoredAttachment.FILE));
    }

    /** A change to what a name points at, computed under the store lock from what it points at now. */
    @FunctionalInterface
    public interface Edit {
        /** The new top-level manifest, given the image the text names now (empty: none). */
        Manifest apply(Optional<StoredImage> current) throws IOException;
    }

    /**
     * Replaces the image {@code text} names by what {@code edit} makes of it, in one locked step,
     * so concurrent edits of the same list never lose one another's change: the edit reads the
     * current image, the new manifest is written, staged blobs are published and every name of the
     * old image (or {@code newName} when there was none) moves to the new one. A list left without
     * names is dropped. When the edit throws, the store is unchanged.
     *
     * @return the image as stored, with every name it has
     */
    public StoredImage edit(List<Staged> staged, String text, String newName, Edit edit) throws IOException {
        return update(index -> {
            Optional<StoredImage> current = index.find(text);
            Manifest manifest = edit.apply(current);
            List<String> names = current.map(StoredImage::names).orElseGet(() -> List.of(newName));
            blobs.publish(staged);
            blobs.putIfMissing(manifest);
            blobs.requireAll(manifest);
            return Outcome.kept(index.store(entry(manifest, index), names, true));
        });
    }

    /** Adds names to an image; each name leaves the image that had it. */
    public void tag(StoredImage target, List<String> names) throws IOException {
        update(index -> Outcome.kept(new ImageIndex.Change<>(index.tag(target.manifestDigest(), names), null)));
    }

    /**
     * Removes what {@code text} names, as podman's rmi does: a name removes that name (and the
     * image with its last name); an ID removes the image and all its names, but only with
     * {@code force} when the image has more than one name (without it: a {@link HoistException}
     * naming the names, and nothing changes). Unreferenced blobs are deleted. Returns the lines rmi
     * prints ({@code Untagged: NAME}, {@code Deleted: ID}).
     */
    public List<String> remove(String text, boolean force) throws IOException {
        return update(index -> Outcome.swept(index.remove(text, false, force)));
    }

    /** {@link #remove(String, boolean)} without force. */
    public List<String> remove(String text) throws IOException {
        return remove(text, false);
    }

    /**
     * Deletes the image {@code text} names (by name, ID or prefix) with all its names, whichever
     * way it was named ({@code delete local:NAME}, as skopeo deletes a containers-storage image).
     * Returns the lines rmi would print.
     *
     * @throws HoistException when {@code text} names no image or is ambiguous
     */
    public List<String> deleteImage(String text) throws IOException {
        return update(index -> Outcome.swept(index.delete(text)));
    }

    /**
     * Removes every image and name in the store ({@code rmi -a}); returns the lines rmi prints,
     * every {@code Untagged: NAME} and {@code Deleted: ID}, in the store's order.
     */
    public List<String> removeAll() throws IOException {
        return update(index -> Outcome.swept(index.removeAll()));
    }

    /**
     * Removes a manifest list as {@link #remove} removes an image (by ID, with all its names);
     * fails, changing nothing, when {@code text} names an image that is not a list. Images the
     * list names stay.
     */
    public List<String> removeList(String text) throws IOException {
        return update(index -> Outcome.swept(index.remove(text, true, true)));
    }

    /**
     * The top-level manifest of {@code image}, parsed.
     *
     * @throws HoistException when its blob is missing or does not parse
     */
    public Manifest readManifest(StoredImage image) throws IOException {
        return Manifest.parse(blobs.read(image.manifestDigest()), image.mediaType());
    }

    /** Problems found: corrupt blobs, missing blobs, damaged manifests. Empty when all is well. */
    public List<String> check() throws IOException {
        return new StoreCheck(this).run();
    }

    BlobStore blobs() {
        return blobs;
    }

    Path indexFile() {
        return root.resolve("images.json");
    }

    private ImageIndex index() throws IOException {
        return ImageIndexFile.read(indexFile());
    }

    /** One change of the index, given the index as it is under the lock. */
    @FunctionalInterface
    private interface Transaction<T> {
        Outcome<T> apply(ImageIndex current) throws IOException;
    }

    /** What a transaction made: the new index, the caller's result, and whether unreferenced blobs go. */
    private record Outcome<T>(ImageIndex index, T result, boolean sweep) {
        static <T> Outcome<T> kept(ImageIndex.Change<T> change) {
            return new Outcome<>(change.index(), change.result(), false);
        }

        static <T> Outcome<T> swept(ImageIndex.Change<T> change) {
            return new Outcome<>(change.index(), change.result(), true);
        }
    }

    /**
     * The one shape of every change: lock, collect what killed writers left in {@code tmp/}, read,
     * transform, write, sweep. When the transform throws, nothing is written (blobs it published
     * stay, unreferenced, until the next sweep).
     */
    private <T> T update(Transaction<T> transaction) throws IOException {
        try (StoreLock lock = StoreLock.acquire(root.resolve("store.lock"))) {
            Staging.removeAbandoned(root.resolve("tmp"));
            Outcome<T> outcome = transaction.apply(index());
            ImageIndexFile.write(indexFile(), outcome.index(), root.resolve("tmp"));
            if (outcome.sweep()) {
                sweep(outcome.index());
            }
            return outcome.result();
        }
    }

    /** The entry for a manifest: the existing one (keeping its names), or a new one. */
    private StoredImage entry(Manifest manifest, ImageIndex index) throws IOException {
        Optional<StoredImage> existing = index.image(manifest.digest());
        if (existing.isPresent()) {
            return existing.get();
        }
        Digest digest = manifest.digest();
        if (manifest instanceof ImageManifest image) {
            return new StoredImage(digest, manifest.mediaType(), image.config().digest(), List.of(),
                    ImageConfigs.created(blobs, image.config().digest()), image.contentSize());
        }
        return new StoredImage(digest, manifest.mediaType(), digest, List.of(), java.time.Instant.now().toString(),
                manifest.raw().length);
    }

    /** Deletes blobs no image of {@code index} references. Runs under the lock. */
    private void sweep(ImageIndex index) throws IOException {
        Set<Digest> live = new HashSet<>();
        for (StoredImage image : index.images()) {
            live.add(image.manifestDigest());
            if (blobs.has(image.manifestDigest(), -1)) {
                live.addAll(References.of(blobs, readManifest(image)));
            }
        }
        keepAttachments(live);
        blobs.sweep(live);
    }

    /**
     * Adds to {@code live} the attachments whose subject is live (and so on, for attachments of
     * attachments) with the blobs they need; the others leave {@code referrers.json}.
     */
    private void keepAttachments(Set<Digest> live) throws IOException {
        List<StoredAttachment> pending = new java.util.ArrayList<>(attachments());
        if (pending.isEmpty()) {
            return;
        }
        List<StoredAttachment> kept = new java.util.ArrayList<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (java.util.Iterator<StoredAttachment> it = pending.iterator(); it.hasNext(); ) {
                StoredAttachment attachment = it.next();
                if (live.contains(attachment.subject()) && blobs.has(attachment.digest(), -1)) {
                    live.add(attachment.digest());
                    live.addAll(References.of(blobs, Manifest.parse(blobs.read(attachment.digest()), attachment.mediaType())));
                    kept.add(attachment);
                    it.remove();
                    grew = true;
                }
            }
        }
        if (!pending.isEmpty()) {
            List<StoredAttachment> inOrder = attachments().stream().filter(kept::contains).toList();
            StoredAttachment.write(root.resolve(StoredAttachment.FILE), inOrder);
        }
    }
}
