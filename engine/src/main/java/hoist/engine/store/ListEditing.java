package hoist.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageConfig;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.ListEntryChanges;
import hoist.engine.image.Manifest;
import hoist.engine.image.ManifestFormat;
import hoist.engine.image.ManifestList;
import hoist.engine.image.Platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One change to a manifest list of the local store, as {@code manifest create/add/annotate} make
 * it. Images from elsewhere are first copied into this editing's own staging directory (see
 * {@link #stage}), and their entries collected; the change itself is then made in one locked store
 * update that also publishes those blobs, so a failure anywhere leaves the store as it was.
 * Lists are written as OCI image indexes; a push chooses another format with {@code --format}.
 */
public final class ListEditing implements AutoCloseable {

    private final LocalStore store;
    private final Platform platform;
    private final Staging staging;
    private final Map<Digest, LocalStore.Staged> staged = new ConcurrentHashMap<>();
    private final List<Descriptor> entries = Collections.synchronizedList(new ArrayList<>());

    private ListEditing(LocalStore store, Platform platform, Staging staging) {
        this.store = store;
        this.platform = platform;
        this.staging = staging;
    }

    /** An editing of {@code store}; {@code platform} picks the image of a list added without --all. */
    public static ListEditing open(LocalStore store, Platform platform) throws IOException {
        return new ListEditing(store, platform, store.openStaging());
    }

    /** Where blobs of images from elsewhere are received for this change (then handed to {@link #stage}). */
    public Path stagingDir() {
        return staging.dir();
    }

    /** Keeps a blob the store already has for this change; empty when it has not. */
    public Optional<Descriptor> reuse(Descriptor blob) throws IOException {
        if (staged.containsKey(blob.digest())) {
            return Optional.of(blob);
        }
        Optional<LocalStore.Staged> kept = store.reuse(staging, blob.digest(), blob.size());
        kept.ifPresent(k -> staged.putIfAbsent(k.digest(), k));
        return kept.map(k -> blob);
    }

    /** Takes a blob received into {@link #stagingDir()}; it becomes part of the store with the change. */
    public void stage(Path file, Digest digest, long size) throws IOException {
        if (staged.putIfAbsent(digest, new LocalStore.Staged(digest, size, file)) != null) {
            Files.deleteIfExists(file);
        }
    }

    /** Adds the entries of an image of the store: the image, or a list's images ({@code all}) or the one for this platform. */
    public void addStored(StoredImage image, boolean all, ListEntryChanges changes) throws IOException {
        add(store.readManifest(image), all, changes, image.names().stream().findFirst().orElse(image.id().shortHex()));
    }

    /** Adds the entries of an image copied into the staging directory, whose top-level manifest is {@code top}. */
    public void addStaged(Manifest top, boolean all, ListEntryChanges changes, String source) throws IOException {
        add(top, all, changes, source);
    }

    private void add(Manifest manifest, boolean all, ListEntryChanges changes, String source) throws IOException {
        List<Descriptor> found = new ArrayList<>();
        if (manifest instanceof ImageManifest image) {
            found.add(new Descriptor(image.mediaType(), image.digest(), image.raw().length).withPlatform(
                    platformOf(image)));
        } else if (manifest instanceof ManifestList list && all) {
            for (Descriptor entry : list.manifests()) {
                found.add(entry.platform() != null ? entry : entry.withPlatform(platformOf(instance(entry))));
            }
        } else if (manifest instanceof ManifestList list) {
            found.add(list.choose(platform).orElseThrow(() -> new HoistException(source + " has no image for "
                    + platform + "; use --all to add every image of the list")));
        }
        found.forEach(entry -> entries.add(changes.applyTo(entry)));
    }

    /** {@code manifest create}: a new list named {@code name}, or with {@code amend} the existing list changed. */
    public StoredImage create(String name, boolean amend, Map<String, String> annotations) throws IOException {
        return commit(name, name, current -> {
            if (current.isEmpty()) {
                return ManifestList.of(ManifestFormat.OCI, merged(List.of()), annotations);
            }
            if (!amend) {
                throw new HoistException(name + " already exists in the local store; use --amend to change it");
            }
            ManifestList list = list(name, current.get());
            Map<String, String> all = new LinkedHashMap<>(list.annotations());
            all.putAll(annotations);
            return list.withManifests(ManifestFormat.OCI, merged(list.manifests())).withAnnotations(ManifestFormat.OCI, all);
        });
    }

    /** {@code manifest add}: the collected entries added to the existing list {@code text} names. */
    public StoredImage addTo(String text) throws IOException {
        return commit(text, null, current -> {
            ManifestList list = list(text, existing(text, current));
            return list.withManifests(ManifestFormat.OCI, merged(list.manifests()));
        });
    }

    /** {@code manifest annotate}: the entry {@code instance} of the list changed. */
    public StoredImage annotate(String text, Digest instance, ListEntryChanges changes) throws IOException {
        return commit(text, null, current -> {
            ManifestList list = list(text, existing(text, current));
            if (list.manifests().stream().noneMatch(d -> d.digest().equals(instance))) {
                throw new HoistException(text + " has no entry " + instance);
            }
            List<Descriptor> changed = list.manifests().stream()
                    .map(d -> d.digest().equals(instance) ? changes.applyTo(d) : d).toList();
            return list.withManifests(ManifestFormat.OCI, changed);
        });
    }

    /** {@code manifest annotate --index}: annotations of the list itself. */
    public StoredImage annotateIndex(String text, Map<String, String> annotations) throws IOException {
        return commit(text, null, current -> {
            ManifestList list = list(text, existing(text, current));
            Map<String, String> all = new LinkedHashMap<>(list.annotations());
            all.putAll(annotations);
            return list.withManifests(ManifestFormat.OCI, list.manifests()).withAnnotations(ManifestFormat.OCI, all);
        });
    }

    private StoredImage commit(String text, String newName, LocalStore.Edit edit) throws IOException {
        return store.edit(List.copyOf(staged.values()), text, newName, edit);
    }

    /** The list's entries with the collected ones: an entry of the same digest is replaced where it stands. */
    private List<Descriptor> merged(List<Descriptor> existing) {
        List<Descriptor> result = new ArrayList<>(existing);
        synchronized (entries) {
            for (Descriptor entry : entries) {
                int at = indexOf(result, entry.digest());
                if (at >= 0) {
                    result.set(at, entry);
                } else {
                    result.add(entry);
                }
            }
        }
        return result;
    }

    private static int indexOf(List<Descriptor> list, Digest digest) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).digest().equals(digest)) {
                return i;
            }
        }
        return -1;
    }

    private static StoredImage existing(String text, Optional<StoredImage> current) {
        return current.orElseThrow(() -> new HoistException(text + ": no manifest list of that name in the local store"));
    }

    private ManifestList list(String text, StoredImage image) throws IOException {
        if (!image.isList()) {
            throw new HoistException(text + " is not a manifest list (it is the image " + image.id().shortHex() + ")");
        }
        return (ManifestList) store.readManifest(image);
    }

    private ImageManifest instance(Descriptor entry) throws IOException {
        if (Manifest.parse(read(entry.digest()), entry.mediaType()) instanceof ImageManifest image) {
            return image;
        }
        throw new HoistException("manifest " + entry.digest() + " is a list inside a list, which is not supported");
    }

    /** The platform the image's config declares, as podman records it in the list. */
    private Platform platformOf(ImageManifest image) throws IOException {
        ImageConfig config = ImageConfig.parse(read(image.config().digest()));
        JsonNode json = config.json();
        List<String> features = new ArrayList<>();
        json.path("os.features").forEach(f -> features.add(f.asText()));
        String osVersion = json.path("os.version").asText("");
        return new Platform(config.os(), config.architecture(), config.variant(),
                osVersion.isEmpty() ? null : osVersion, features);
    }

    /** A blob staged for this change, or else one of the store. Small blobs only: configs and manifests. */
    private byte[] read(Digest digest) throws IOException {
        LocalStore.Staged blob = staged.get(digest);
        if (blob != null && blob.file() != null) {
            return Files.readAllBytes(blob.file());
        }
        try (InputStream in = store.openBlob(digest)) {
            return in.readAllBytes();
        }
    }

    /** Removes the staging directory: after the change only pins and duplicates are left in it. */
    @Override
    public void close() throws IOException {
        staging.close();
    }
}
