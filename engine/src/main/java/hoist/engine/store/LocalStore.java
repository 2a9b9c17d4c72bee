package hoist.engine.store;

import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.Manifest;
import hoist.engine.io.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The embedded store. Blobs (manifests included) live under {@code blobs/sha256/HEX} exactly as
 * received; {@code images.json} lists the images and their names. Writers stage blobs in
 * {@code tmp/} and publish them with the index update in one locked step, so garbage collection
 * (also locked) never removes what a concurrent writer is about to reference.
 */
public final class LocalStore {

    private final Path root;

    private LocalStore(Path root) {
        this.root = root;
    }

    /**
     * Opens the store at {@code root}, making it when missing: the root private to its owner
     * (0700, as podman's storage), so the files inside may have the umask's modes.
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

    public Path root() {
        return root;
    }

    public Path blobPath(Digest digest) {
        return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    public boolean hasBlob(Digest digest, long size) throws IOException {
        Path file = blobPath(digest);
        return Files.isRegularFile(file) && (size < 0 || Files.size(file) == size);
    }

    public InputStream openBlob(Digest digest) throws IOException {
        Path file = blobPath(digest);
        if (!Files.isRegularFile(file)) {
            throw new HoistException("blob " + digest + " is missing from the local store " + root + "; run hoist check");
        }
        return Files.newInputStream(file);
    }

    public List<StoredImage> images() throws IOException {
        return StoreIndex.read(indexFile());
    }

    /** The image a name, short name, ID or unique ID prefix names; an error says why none or which. */
    public StoredImage resolve(String text) throws IOException {
        return ImageLookup.resolve(images(), text);
    }

    public Optional<StoredImage> find(String text) throws IOException {
        return ImageLookup.find(images(), text);
    }

    /**
     * The name of {@code image} that {@code text} (as given to {@link #resolve}) stands for, as a
     * full name ({@code REGISTRY/PATH:TAG}); empty when the text named the image by its ID.
     */
    public static Optional<String> nameMatched(StoredImage image, String text) {
        return ImageLookup.nameMatched(image, text);
    }

    /** A staged blob: written (or pinned) in a staging directory, not yet part of the store; {@code file} null when unpinned. */
    public record Staged(Digest digest, long size, Path file) {
    }

    /** A new staging directory for one writer; blobs staged there are published by {@link #commit}. */
    public Staging openStaging() throws IOException {
        return Staging.create(root.resolve("tmp"));
    }

    /**
     * Keeps a stored blob for a writer that reuses it: pinned in the writer's staging directory
     * so a concurrent removal cannot take its bytes. Empty when the blob is not (or no longer) here.
     */
    public Optional<Staged> reuse(Staging staging, Digest digest, long size) throws IOException {
        Path blob = blobPath(digest);
        if (!hasBlob(digest, size)) {
            return Optional.empty();
        }
        return Optional.of(staging.pin(blob, digest).map(link -> new Staged(digest, size, link))
                .orElse(new Staged(digest, size, null)));
    }

    /**
     * Publishes staged blobs and records the image whose top-level manifest is {@code top}, under
     * {@code name} (taken from any image that had it). One locked step.
     */
    public StoredImage commit(List<Staged> staged, byte[] top, String mediaType, String name) throws IOException {
        try (StoreLock lock = StoreLock.acquire(lockFile())) {
            publish(staged); // blobs reused without a pin: the check below finds them or says they vanished
            Manifest manifest = Manifest.parse(top, mediaType);
            requireBlobs(manifest);
            List<StoredImage> images = images();
            StoredImage entry = describe(manifest, images);
            List<StoredImage> updated = new ArrayList<>();
            for (StoredImage image : images) {
                if (!image.manifestDigest().equals(entry.manifestDigest())) {
                    updated.add(image.withNames(without(image.names(), List.of(name))));
                }
            }
            Set<String> names = new LinkedHashSet<>(entry.names());
            names.add(name);
            StoredImage stored = entry.withNames(List.copyOf(names));
            updated.add(stored);
            StoreIndex.write(indexFile(), updated);
            return stored;
        }
    }

    /** The entry for a manifest: the existing one (keeping its names), or a new one. */
    private StoredImage describe(Manifest manifest, List<StoredImage> images) throws IOException {
        Digest digest = manifest.digest();
        for (StoredImage image : images) {
            if (image.manifestDigest().equals(digest)) {
                return image;
            }
        }
        if (manifest instanceof ImageManifest image) {
            String created = ImageConfigs.created(this, image.config().digest());
            return new StoredImage(digest, manifest.mediaType(), image.config().digest(), List.of(), created,
                    image.contentSize());
        }
        return new StoredImage(digest, manifest.mediaType(), digest, List.of(), java.time.Instant.now().toString(),
                manifest.raw().length);
    }

    /** Every blob the manifest references must be in the store (a concurrent rmi may have removed one). */
    private void requireBlobs(Manifest manifest) throws IOException {
        for (Digest digest : References.of(this, manifest)) {
            if (!hasBlob(digest, -1)) {
                throw new HoistException("blob " + digest + " vanished from the local store while the image was written "
                        + "(removed by a concurrent rmi?); retry");
            }
        }
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
     */
    public StoredImage edit(List<Staged> staged, String text, String newName, Edit edit) throws IOException {
        try (StoreLock lock = StoreLock.acquire(lockFile())) {
            List<StoredImage> images = images();
            Optional<StoredImage> current = ImageLookup.find(images, text);
            Manifest manifest = edit.apply(current);
            List<String> names = current.map(StoredImage::names).orElseGet(() -> List.of(newName));
            publish(staged);
            Path top = blobPath(manifest.digest());
            if (!Files.exists(top)) {
                AtomicFiles.write(top, manifest.raw());
            }
            requireBlobs(manifest);
            StoredImage entry = describe(manifest, images);
            List<StoredImage> updated = new ArrayList<>();
            for (StoredImage image : images) {
                if (image.manifestDigest().equals(entry.manifestDigest())) {
                    continue;
                }
                StoredImage kept = image.withNames(without(image.names(), names));
                if (!(kept.names().isEmpty() && kept.isList() && !image.names().isEmpty())) {
                    updated.add(kept);
                }
            }
            Set<String> all = new LinkedHashSet<>(entry.names());
            all.addAll(names);
            StoredImage stored = entry.withNames(List.copyOf(all));
            updated.add(stored);
            StoreIndex.write(indexFile(), updated);
            return stored;
        }
    }

    private void publish(List<Staged> staged) throws IOException {
        for (Staged blob : staged) {
            if (blob.file() == null) {
                continue;
            }
            Path target = blobPath(blob.digest());
            if (Files.exists(target)) {
                Files.deleteIfExists(blob.file());
            } else {
                AtomicFiles.move(blob.file(), target);
            }
        }
    }

    /** Adds names to an image; each name leaves the image that had it. */
    public void tag(StoredImage target, List<String> names) throws IOException {
        try (StoreLock lock = StoreLock.acquire(lockFile())) {
            List<StoredImage> updated = new ArrayList<>();
            for (StoredImage image : images()) {
                List<String> kept = without(image.names(), names);
                if (image.manifestDigest().equals(target.manifestDigest())) {
                    Set<String> all = new LinkedHashSet<>(kept);
                    all.addAll(names);
                    kept = List.copyOf(all);
                }
                updated.add(image.withNames(kept));
            }
            StoreIndex.write(indexFile(), updated);
        }
    }

    /**
     * Removes what {@code text} names, as podman's rmi does: a name removes that name (and the
     * image with its last name); an ID removes the image and all its names, but only with
     * {@code force} when the image has more than one name (without it: a {@link HoistException}
     * naming the names, and nothing changes). Unreferenced blobs are deleted. Returns the lines rmi
     * prints ({@code Untagged: NAME}, {@code Deleted: ID}).
     */
    public List<String> remove(String text, boolean force) throws IOException {
        return remove(text, false, force);
    }

    /** {@link #remove(String, boolean)} without force. */
    public List<String> remove(String text) throws IOException {
        return remove(text, false);
    }

    /**
     * Deletes the image {@code text} names (by name, ID or prefix) with all its names, whichever
     * way it was named ({@code delete local:NAME}, as skopeo deletes a containers-storage image).
     * Returns the lines rmi would print.
     */
    public List<String> deleteImage(String text) throws IOException {
        try (StoreLock lock = StoreLock.acquire(lockFile())) {
            List<StoredImage> images = images();
            StoredImage target = ImageLookup.resolve(images, text);
            List<String> report = new ArrayList<>();
            target.names().forEach(n -> report.add("Untagged: " + n));
            report.add("Deleted: " + target.id().hex());
            List<StoredImage> updated = images.stream()
                    .filter(i -> !i.manifestDigest().equals(target.manifestDigest())).toList();
            StoreIndex.write(indexFile(), updated);
            collectGarbage(updated);
            return report;
        }
    }

    /**
     * Removes every image and name in the store ({@code rmi -a}); returns the lines rmi prints,
     * every {@code Untagged: NAME} and {@code Deleted: ID}, in the store's order.
     */
    public List<String> removeAll() throws IOException {
        try (StoreLock lock = StoreLock.acquire(lockFile())) {
            List<String> report = new ArrayList<>();
            for (StoredImage image : images()) {
                image.names().forEach(n -> report.add("Untagged: " + n));
                report.add("Deleted: " + image.id().hex());
            }
            StoreIndex.write(indexFile(), List.of());
            collectGarbage(List.of());
            return report;
        }
    }

    /**
     * Removes a manifest list as {@link #remove} removes an image (by ID, with all its names);
     * fails, changing nothing, when {@code text} names an image that is not a list. Images the
     * list names stay.
     */
    public List<String> removeList(String text) throws IOException {
        return remove(text, true, true);
    }

    private List<String> remove(String text, boolean listOnly, boolean force) throws IOException {
        try (StoreLock lock = StoreLock.acquire(lockFile())) {
            List<StoredImage> images = images();
            StoredImage target = ImageLookup.resolve(images, text);
            if (listOnly && !target.isList()) {
                throw new HoistException(text + " is not a manifest list (it is the image " + target.id().shortHex()
                        + "); use rmi to remove images");
            }
            Optional<String> byName = ImageLookup.nameMatched(target, text);
            if (byName.isEmpty() && !force && target.names().size() > 1) {
                throw new HoistException("cannot remove image " + target.id().hex() + " by ID: it has more than one name ("
                        + String.join(", ", target.names()) + "); remove them by name, or all at once with rmi -f");
            }
            List<String> report = new ArrayList<>();
            List<StoredImage> updated = new ArrayList<>();
            for (StoredImage image : images) {
                if (!image.manifestDigest().equals(target.manifestDigest())) {
                    updated.add(image);
                    continue;
                }
                List<String> remaining = byName.isPresent() ? without(image.names(), List.of(byName.get())) : List.of();
                image.names().stream().filter(n -> !remaining.contains(n)).forEach(n -> report.add("Untagged: " + n));
                if (remaining.isEmpty()) {
                    report.add("Deleted: " + image.id().hex());
                } else {
                    updated.add(image.withNames(remaining));
                }
            }
            StoreIndex.write(indexFile(), updated);
            collectGarbage(updated);
            return report;
        }
    }

    /** Deletes blobs no remaining image references, and what crashed writers left. Runs under the lock. */
    private void collectGarbage(List<StoredImage> images) throws IOException {
        Staging.removeAbandoned(root.resolve("tmp"));
        Set<Digest> live = new HashSet<>();
        for (StoredImage image : images) {
            live.add(image.manifestDigest());
            if (hasBlob(image.manifestDigest(), -1)) {
                live.addAll(References.of(this, readManifest(image)));
            }
        }
        try (Stream<Path> files = Files.list(root.resolve("blobs").resolve("sha256"))) {
            for (Path file : files.toList()) {
                String hex = file.getFileName().toString();
                if (Digest.isDigest("sha256:" + hex) && !live.contains(new Digest("sha256", hex))) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    public Manifest readManifest(StoredImage image) throws IOException {
        try (InputStream in = openBlob(image.manifestDigest())) {
            return Manifest.parse(in.readAllBytes(), image.mediaType());
        }
    }

    /** Problems found: corrupt blobs, missing blobs, damaged manifests. Empty when all is well. */
    public List<String> check() throws IOException {
        return new StoreCheck(this).run();
    }

    Path indexFile() {
        return root.resolve("images.json");
    }

    private Path lockFile() {
        return root.resolve("store.lock");
    }

    private static List<String> without(List<String> names, List<String> removed) {
        return names.stream().filter(n -> !removed.contains(n)).toList();
    }
}
