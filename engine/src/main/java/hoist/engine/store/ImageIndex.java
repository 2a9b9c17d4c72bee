package hoist.engine.store;

import hoist.engine.HoistException;
import hoist.engine.image.Digest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the store's {@code images.json} says, as a value: the images in their order (oldest
 * written first), each with its names. A name belongs to at most one image. Every change is a
 * method returning a new index; nothing here touches the disk, so {@link LocalStore} reads an
 * index, transforms it and writes it back under its lock.
 */
record ImageIndex(List<StoredImage> images) {

    /** An index of {@code images}, in that order. */
    ImageIndex {
        images = List.copyOf(images);
    }

    /** The index of an empty store. */
    static ImageIndex empty() {
        return new ImageIndex(List.of());
    }

    /** The image stored under the top-level manifest {@code manifestDigest}, if any. */
    Optional<StoredImage> image(Digest manifestDigest) {
        return images.stream().filter(i -> i.manifestDigest().equals(manifestDigest)).findFirst();
    }

    /** The image a name, short name, ID or unique ID prefix names (empty: none). @throws HoistException when ambiguous */
    Optional<StoredImage> find(String text) {
        return ImageLookup.find(images, text);
    }

    /** As {@link #find}, but none is a {@link HoistException} naming {@code text}. */
    StoredImage resolve(String text) {
        return ImageLookup.resolve(images, text);
    }

    /**
     * The index after an image was written: {@code entry} (its names kept) gains {@code names} and
     * becomes the last image, every other image loses those names. With {@code dropUnnamedLists},
     * a list that had names and lost its last one here leaves the index (a list edited into a new
     * manifest); otherwise images left without names stay, found by ID.
     *
     * @return the new index and the entry as stored in it
     */
    Change<StoredImage> store(StoredImage entry, List<String> names, boolean dropUnnamedLists) {
        List<StoredImage> updated = new ArrayList<>();
        for (StoredImage image : images) {
            if (image.manifestDigest().equals(entry.manifestDigest())) {
                continue;
            }
            StoredImage kept = image.withNames(without(image.names(), names));
            if (!(dropUnnamedLists && kept.names().isEmpty() && kept.isList() && !image.names().isEmpty())) {
                updated.add(kept);
            }
        }
        Set<String> all = new LinkedHashSet<>(entry.names());
        all.addAll(names);
        StoredImage stored = entry.withNames(List.copyOf(all));
        updated.add(stored);
        return new Change<>(new ImageIndex(updated), stored);
    }

    /** The index with {@code names} moved to the image of {@code manifestDigest}, which keeps its place. */
    ImageIndex tag(Digest manifestDigest, List<String> names) {
        List<StoredImage> updated = new ArrayList<>();
        for (StoredImage image : images) {
            List<String> kept = without(image.names(), names);
            if (image.manifestDigest().equals(manifestDigest)) {
                Set<String> all = new LinkedHashSet<>(kept);
                all.addAll(names);
                kept = List.copyOf(all);
            }
            updated.add(image.withNames(kept));
        }
        return new ImageIndex(updated);
    }

    /**
     * The index after podman's rmi of {@code text}: a name removes that name (and the image with
     * its last name); an ID removes the image with all its names, which needs {@code force} when
     * it has more than one. With {@code listOnly}, {@code text} must name a manifest list.
     *
     * @return the new index and the lines rmi prints ({@code Untagged: NAME}, {@code Deleted: ID})
     * @throws HoistException when {@code text} names nothing, is ambiguous, names an image that
     *         is not a list ({@code listOnly}), or an image of several names by ID without {@code force}
     */
    Change<List<String>> remove(String text, boolean listOnly, boolean force) {
        StoredImage target = resolve(text);
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
        return new Change<>(new ImageIndex(updated), List.copyOf(report));
    }

    /**
     * The index without the image {@code text} names (by name, ID or prefix) and all its names.
     *
     * @return the new index and the lines rmi would print
     * @throws HoistException when {@code text} names nothing or is ambiguous
     */
    Change<List<String>> delete(String text) {
        StoredImage target = resolve(text);
        List<String> report = new ArrayList<>();
        target.names().forEach(n -> report.add("Untagged: " + n));
        report.add("Deleted: " + target.id().hex());
        List<StoredImage> updated = images.stream().filter(i -> !i.manifestDigest().equals(target.manifestDigest())).toList();
        return new Change<>(new ImageIndex(updated), List.copyOf(report));
    }

    /** The empty index, and the lines {@code rmi -a} prints for every image of this one, in order. */
    Change<List<String>> removeAll() {
        List<String> report = new ArrayList<>();
        for (StoredImage image : images) {
            image.names().forEach(n -> report.add("Untagged: " + n));
            report.add("Deleted: " + image.id().hex());
        }
        return new Change<>(empty(), List.copyOf(report));
    }

    /** A changed index and what the change gives its caller. */
    record Change<T>(ImageIndex index, T result) {
    }

    private static List<String> without(List<String> names, List<String> removed) {
        return names.stream().filter(n -> !removed.contains(n)).toList();
    }
}
