package hoist.engine.transport.storage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.HoistException;
import hoist.engine.archive.tarsplit.TarSplitWriter;
import hoist.engine.compress.Compression;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageConfig;
import hoist.engine.image.Json;
import hoist.engine.image.MediaTypes;
import hoist.engine.io.AtomicFiles;
import hoist.engine.image.DigestingInputStream;
import hoist.engine.transport.BlobInfo;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.RawManifest;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an image into a containers-storage store, as containers/image's storage destination
 * does. Layers arrive one at a time, bottom first, each extracted into a hidden staging directory
 * of the driver (for vfs, over a copy of the layer below) while its tar-split data is recorded;
 * nothing is visible until {@link #commit()}, which checks the layers against the config's diff
 * IDs and then, under the store's locks, renames the staged layers into place as layers whose IDs
 * are the chain IDs containers/image computes ({@code DIFFID} for a bottom layer, else
 * {@code sha256(PARENT + "+" + DIFFID)}), adds them to layers.json, writes the image's big-data
 * items (config, manifest, signatures) and its entry in images.json. Layers the store already has
 * are kept and the staged copies dropped. Without a commit every staged file is removed.
 */
final class StorageDestination implements ImageDestination {

    /** A layer received for this image; {@code stage} is null for one the store has already. */
    private record StagedLayer(LayerDirectories.Stage stage, Digest compressedDigest, long compressedSize, Digest diffId,
                               long diffSize, Compression compression, Set<Long> uids, Set<Long> gids) {

        boolean reused() {
            return stage == null;
        }
    }

    private final StorageReference reference;
    private final ContainersStorage storage;
    private final LayerDirectories dirs;
    private final List<StagedLayer> staged = new ArrayList<>();
    private byte[] config;
    private Digest configDigest;
    private RawManifest manifest;
    private List<byte[]> signatures = List.of();
    /** A list's instances, each complete (layers, config, manifest), in the order they came. */
    private final List<PendingImage> instances = new ArrayList<>();

    /** One instance of a list, received and waiting for the commit. */
    private record PendingImage(List<StagedLayer> layers, byte[] config, Digest configDigest, RawManifest manifest,
                                List<byte[]> signatures) {
        PendingImage withSignatures(List<byte[]> value) {
            return new PendingImage(layers, config, configDigest, manifest, List.copyOf(value));
        }
    }
    /** Whether the manifest put last is a list's instance (whose signatures come next), not the top level. */
    private boolean instanceLast;
    private boolean committed;

    private final boolean newStore;

    /** {@code newStore}: the store was made for this write, and goes again if the write fails. */
    StorageDestination(StorageReference reference, ContainersStorage storage, boolean newStore) {
        this.reference = reference;
        this.storage = storage;
        this.dirs = LayerDirectories.of(storage);
        this.newStore = newStore;
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    @Override
    public List<String> supportedManifestTypes() {
        return List.of(MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST, MediaTypes.OCI_INDEX, MediaTypes.DOCKER_LIST);
    }

    /**
     * A list is stored as podman and buildah store one: each instance as an image of its own
     * (named by nothing, found through the list), and the list as an image without layers whose
     * {@code manifest} big-data item is the list, with {@code instances.json} mapping each
     * instance digest to its image.
     */
    @Override
    public boolean acceptsLists() {
        return true;
    }

    @Override
    public synchronized void putInstanceManifest(RawManifest value) {
        if (config == null) {
            throw new IllegalStateException("an instance manifest before its config");
        }
        instances.add(new PendingImage(List.copyOf(staged), config, configDigest, value, List.of()));
        instanceLast = true;
        staged.clear();
        config = null;
        configDigest = null;
    }

    /** Layers are applied each over the one below, so they must come one at a time, in order. */
    @Override
    public boolean acceptsParallelBlobs() {
        return false;
    }

    @Override
    public boolean supportsSignatures() {
        return true;
    }

    /**
     * A layer the store already has at this place of the chain (same parent, made from this blob
     * or with this uncompressed digest) is not received again. Layers come in order, so the chain
     * so far is known.
     */
    @Override
    public synchronized java.util.Optional<Descriptor> tryReuse(Descriptor blob) throws IOException {
        if (hoist.engine.image.LayerMediaTypes.compressionOf(blob.mediaType()) == null) {
            return java.util.Optional.empty();
        }
        String parent = chainId(staged.size());
        for (LayerRecord layer : storage.read().layers()) {
            boolean sameBlob = blob.digest().equals(layer.compressedDigest()) || blob.digest().equals(layer.diffDigest());
            if (sameBlob && !layer.incomplete() && layer.diffDigest() != null
                    && layer.id().equals(layerId(parent, layer.diffDigest()))) {
                staged.add(new StagedLayer(null, blob.digest(), blob.size(), layer.diffDigest(), layer.diffSize(),
                        Compression.NONE, Set.of(), Set.of()));
                return java.util.Optional.of(blob);
            }
        }
        return java.util.Optional.empty();
    }

    /** The ID of the layer under the first {@code count} layers received (null for none). */
    private String chainId(int count) {
        String id = null;
        for (int i = 0; i < count; i++) {
            id = layerId(id, staged.get(i).diffId());
        }
        return id;
    }

    /** A layer's ID as containers/image computes it: the diff ID alone at the bottom, else sha256(PARENT+DIFFID). */
    private static String layerId(String parent, Digest diffId) {
        return parent == null ? diffId.hex() : Digest.sha256(parent + "+" + diffId.hex()).hex();
    }

    @Override
    public synchronized Descriptor putBlob(InputStream stream, BlobInfo info) throws IOException {
        if (info.isConfig()) {
            DigestingInputStream in = new DigestingInputStream(stream);
            config = in.readNBytes(64 * 1024 * 1024 + 1);
            if (config.length > 64 * 1024 * 1024) {
                throw new HoistException(reference.text() + ": the image config is too large");
            }
            in.transferTo(java.io.OutputStream.nullOutputStream());
            configDigest = in.digest();
            return new Descriptor(info.mediaType(), configDigest, config.length);
        }
        return putLayer(stream, info);
    }

    private Descriptor putLayer(InputStream stream, BlobInfo info) throws IOException {
        LayerDirectories.Stage stage = dirs.stage();
        Path split = stage.tarSplit();
        boolean done = false;
        try {
            Path files = stage.files();
            if (!staged.isEmpty() && storage.options().driver().equals("vfs")) {
                StagedLayer below = staged.get(staged.size() - 1);
                Path parentFiles = below.reused() ? storage.layerFiles(chainId(staged.size())) : below.stage().files();
                LayerApplier.run("cp", "-a", "--reflink=auto", parentFiles + "/.", files + "/");
            }
            DigestingInputStream blob = new DigestingInputStream(stream);
            Compression.Detected detected = Compression.detect(blob);
            DigestingInputStream tar = new DigestingInputStream(detected.compression() == hoist.engine.compress.Compression.NONE
                    ? detected.stream()
                    : new hoist.engine.compress.ExpansionLimit(detected.compression().decompress(detected.stream()), info.size(),
                            blob::count, "layer " + (info.digest() != null ? info.digest() : "") + " for " + reference().text()));
            LayerApplier applier = new LayerApplier(files, storage.options().driver().equals("overlay"));
            try (TarSplitWriter out = new TarSplitWriter(new GZIPOutputStream(new BufferedOutputStream(
                    Files.newOutputStream(split), 65536), 65536))) {
                applier.apply(tar, out);
            }
            tar.transferTo(java.io.OutputStream.nullOutputStream());
            blob.transferTo(java.io.OutputStream.nullOutputStream());
            Digest compressedDigest = blob.digest(); // digest() may be called once: it ends the hash
            staged.add(new StagedLayer(stage, compressedDigest, blob.count(), tar.digest(), tar.count(), detected.compression(),
                    applier.uids(), applier.gids()));
            done = true;
            return new Descriptor(info.mediaType(), compressedDigest, blob.count());
        } finally {
            if (!done) {
                stage.close();
            }
        }
    }

    @Override
    public void putManifest(RawManifest value) {
        this.manifest = value;
        instanceLast = false;
    }

    /** Signatures of the manifest put last: a list's instance, kept with that instance's image, or the top level. */
    @Override
    public synchronized void putSignatures(List<byte[]> value) {
        if (instanceLast) {
            int last = instances.size() - 1;
            instances.set(last, instances.get(last).withSignatures(value));
            return;
        }
        this.signatures = List.copyOf(value);
    }

    @Override
    public synchronized void commit() throws IOException {
        if (manifest == null || (config == null && !isList(manifest))) {
            throw new IllegalStateException("commit before the config and manifest were put");
        }
        String name = reference.dockerReference().map(Object::toString).orElse(null);
        String created = Instant.now().toString();
        if (!isList(manifest)) {
            checkDiffIds(staged, config);
            try (StorageLock.Held graph = storage.graphLock().exclusive()) {
                String top = commitLayers(staged, created);
                commitImage(configDigest.hex(), top, created, name, manifest, config, configDigest, signatures, null);
            }
            committed = true;
            return;
        }
        for (PendingImage instance : instances) {
            checkDiffIds(instance.layers(), instance.config());
        }
        try (StorageLock.Held graph = storage.graphLock().exclusive()) {
            Map<String, String> index = new LinkedHashMap<>();
            String listId = manifest.digest().hex();
            index.put("", listId);
            for (PendingImage instance : instances) {
                String top = commitLayers(instance.layers(), created);
                String id = instance.configDigest().hex();
                commitImage(id, top, created, null, instance.manifest(), instance.config(), instance.configDigest(),
                        instance.signatures(), manifest);
                index.put(instance.manifest().digest().toString(), "containers-storage:" + storeSpec() + "@" + id);
            }
            commitImage(listId, null, created, name, manifest, null, null, signatures, null);
            commitInstancesJson(listId, Json.write(index));
        }
        committed = true;
    }

    private static boolean isList(RawManifest m) {
        return m.parse() instanceof hoist.engine.image.ManifestList;
    }

    /** {@code [DRIVER@GRAPHROOT+RUNROOT]}, as buildah writes it into instances.json. */
    private String storeSpec() {
        StoreOptions options = storage.options();
        return "[" + options.driver() + "@" + options.graphRoot() + "+" + options.runRoot() + "]";
    }

    private void checkDiffIds(List<StagedLayer> layers, byte[] imageConfig) throws IOException {
        List<Digest> diffIds = ImageConfig.parse(imageConfig).diffIds();
        List<Digest> received = layers.stream().map(StagedLayer::diffId).toList();
        if (!diffIds.equals(received)) {
            throw new HoistException(reference.text() + ": the layers' uncompressed digests " + received
                    + " do not match the config's diff IDs " + diffIds);
        }
    }

    private void commitInstancesJson(String listId, byte[] bytes) throws IOException {
        try (StorageLock.Held held = storage.imagesLock().exclusive()) {
            List<ObjectNode> entries = storage.readArray(storage.imagesJson());
            for (ObjectNode entry : entries) {
                if (entry.path("id").asText().equals(listId)) {
                    putBigData(entry, "instances.json", bytes);
                }
            }
            storage.writeArray(storage.imagesJson(), entries);
            held.touch();
        }
    }

    /**
     * Puts the staged layers in place; returns the top layer's ID (null for an image without
     * layers). As containers/storage creates a layer: its entry is first saved in layers.json
     * flagged {@code incomplete}, then its directory and tar-split are moved in, then the flag is
     * cleared, so that a writer killed part-way leaves layers every later writer (hoist or
     * containers/storage, on taking the layers lock) deletes, never a layer that looks whole and
     * is not. Before that, as containers/storage does under the lock, incomplete layers left by
     * earlier writers and stages of writers that are gone are deleted.
     */
    private String commitLayers(List<StagedLayer> staged, String created) throws IOException {
        try (StorageLock.Held held = storage.layersLock().exclusive()) {
            List<ObjectNode> entries = storage.readArray(storage.layersJson());
            boolean changed = removeIncomplete(entries);
            dirs.removeAbandonedStages();
            String parent = null;
            List<ObjectNode> added = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            List<StagedLayer> installing = new ArrayList<>();
            for (StagedLayer layer : staged) {
                String id = layerId(parent, layer.diffId());
                boolean exists = entries.stream().anyMatch(e -> e.path("id").asText().equals(id))
                        || added.stream().anyMatch(e -> e.path("id").asText().equals(id));
                if (layer.reused()) {
                    if (!exists) {
                        throw new HoistException(reference.text() + ": layer " + id + " was removed from the store during the copy");
                    }
                } else if (!exists) {
                    ObjectNode entry = layerEntry(id, parent, layer, created);
                    entry.putObject("flags").put(INCOMPLETE, true);
                    added.add(entry);
                    ids.add(id);
                    installing.add(layer);
                }
                parent = id;
            }
            if (!added.isEmpty()) {
                entries.addAll(added);
                storage.writeArray(storage.layersJson(), entries);
                try {
                    for (int i = 0; i < added.size(); i++) {
                        String id = ids.get(i);
                        StagedLayer layer = installing.get(i);
                        dirs.remove(id); // a directory no entry owned
                        dirs.install(layer.stage().layer(), id, added.get(i).path("parent").asText(null));
                        AtomicFiles.move(layer.stage().tarSplit(), storage.tarSplit(id));
                    }
                } catch (IOException | RuntimeException e) {
                    // as containers/storage does when a layer cannot be made: its files and entry go again
                    undo(entries, added, ids, e);
                    throw e;
                }
                added.forEach(e -> e.remove("flags"));
                changed = true;
            }
            if (changed) {
                storage.writeArray(storage.layersJson(), entries);
                held.touch();
            }
            return parent;
        }
    }

    /** Deletes the layers a failed commit added (files and entries); what cannot be deleted stays flagged incomplete. */
    private void undo(List<ObjectNode> entries, List<ObjectNode> added, List<String> ids, Exception failure) {
        try {
            for (String id : ids) {
                dirs.remove(id);
                Files.deleteIfExists(storage.tarSplit(id));
            }
            entries.removeAll(added);
            storage.writeArray(storage.layersJson(), entries);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e); // the next writer deletes them
        }
    }

    /** The flag containers/storage sets on a layer's entry until the layer is whole. */
    private static final String INCOMPLETE = "incomplete";

    /**
     * Deletes the layers {@code entries} flags incomplete (their directories, tar-splits and
     * entries), as containers/storage does when it loads layers.json for writing: under the
     * layers lock no writer is making one, so each was left by a writer that died.
     *
     * @return whether any was deleted
     */
    private boolean removeIncomplete(List<ObjectNode> entries) throws IOException {
        List<ObjectNode> incomplete = entries.stream().filter(e -> e.path("flags").path(INCOMPLETE).asBoolean(false)).toList();
        for (ObjectNode entry : incomplete) {
            String id = entry.path("id").asText();
            dirs.remove(id);
            Files.deleteIfExists(storage.tarSplit(id));
        }
        return entries.removeAll(incomplete);
    }

    private static ObjectNode layerEntry(String id, String parent, StagedLayer layer, String created) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("id", id);
        if (parent != null) {
            e.put("parent", parent);
        }
        e.put("created", created);
        e.put("compressed-diff-digest", layer.compressedDigest().toString());
        e.put("compressed-size", layer.compressedSize());
        e.put("diff-digest", layer.diffId().toString());
        e.put("diff-size", layer.diffSize());
        int compression = switch (layer.compression()) {
            case NONE -> 0;
            case GZIP -> 2;
            case ZSTD, ZSTD_CHUNKED -> 4;
        };
        if (compression != 0) {
            e.put("compression", compression);
        }
        ArrayNode uids = e.putArray("uidset");
        layer.uids().forEach(uids::add);
        ArrayNode gids = e.putArray("gidset");
        layer.gids().forEach(gids::add);
        return e;
    }

    /**
     * Writes (or updates) an image entry and its big data; {@code config} null for a list,
     * {@code name} null for a list's instance, {@code list} the list an instance came in (stored
     * with it under its digest, as containers/image does) or null.
     */
    private void commitImage(String imageId, String topLayer, String created, String name, RawManifest manifest, byte[] config,
                             Digest configDigest, List<byte[]> signatures, RawManifest list) throws IOException {
        Digest manifestDigest = manifest.digest();
        String configKey = configDigest == null ? null : configDigest.toString();
        String manifestKey = "manifest-" + manifestDigest;
        String signatureKey = "signature-" + manifestDigest.hex();
        ByteArrayOutputStream signatureBytes = new ByteArrayOutputStream();
        signatures.forEach(signatureBytes::writeBytes);
        try (StorageLock.Held held = storage.imagesLock().exclusive()) {
            List<ObjectNode> entries = storage.readArray(storage.imagesJson());
            ObjectNode image = null;
            for (ObjectNode entry : entries) {
                if (entry.path("id").asText().equals(imageId)) {
                    image = entry;
                } else if (name != null) {
                    List<String> names = new ImageRecord(entry).names();
                    if (names.remove(name)) {
                        ContainersStorage.setNames(entry, names, null);
                    }
                }
            }
            if (image == null) {
                image = JsonNodeFactory.instance.objectNode();
                image.put("id", imageId);
                entries.add(image);
                image.put("created", created);
            }
            image.put("digest", manifestDigest.toString());
            if (topLayer != null) {
                image.put("layer", topLayer);
            }
            if (name != null) {
                List<String> names = new ImageRecord(image).names();
                if (!names.contains(name)) {
                    names.add(name);
                }
                ContainersStorage.setNames(image, names, name);
            }
            ObjectNode metadata = (ObjectNode) new ImageRecord(image).metadata();
            ObjectNode sizes = metadata.has("signatures-sizes") ? (ObjectNode) metadata.get("signatures-sizes")
                    : metadata.putObject("signatures-sizes");
            ArrayNode mine = sizes.putArray(manifestDigest.toString());
            signatures.forEach(s -> mine.add(s.length));
            if (!signatures.isEmpty()) {
                // the image's own signatures as containers/image also keeps them, and reads them for the top level
                ArrayNode topLevel = metadata.putArray("signature-sizes");
                signatures.forEach(s -> topLevel.add(s.length));
            }
            image.put("metadata", new String(Json.write(metadata), StandardCharsets.UTF_8));
            Files.createDirectories(storage.imagesDir().resolve(imageId));
            if (config != null) {
                putBigData(image, configKey, config);
            }
            if (list != null) {
                putBigData(image, "manifest-" + list.digest(), list.bytes());
            }
            putBigData(image, manifestKey, manifest.bytes());
            putBigData(image, "manifest", manifest.bytes());
            putBigData(image, signatureKey, signatureBytes.toByteArray());
            if (!signatures.isEmpty()) {
                putBigData(image, "signatures", signatureBytes.toByteArray());
            }
            storage.writeArray(storage.imagesJson(), entries);
            held.touch();
        }
    }

    private void putBigData(ObjectNode image, String key, byte[] bytes) throws IOException {
        AtomicFiles.write(storage.bigData(image.path("id").asText(), key), bytes);
        ArrayNode names = image.has("big-data-names") ? (ArrayNode) image.get("big-data-names") : image.putArray("big-data-names");
        boolean present = false;
        for (var n : names) {
            present |= n.asText().equals(key);
        }
        if (!present) {
            names.add(key);
        }
        (image.has("big-data-sizes") ? (ObjectNode) image.get("big-data-sizes") : image.putObject("big-data-sizes"))
                .put(key, bytes.length);
        (image.has("big-data-digests") ? (ObjectNode) image.get("big-data-digests") : image.putObject("big-data-digests"))
                .put(key, Digest.sha256(bytes).toString());
    }

    /** Releases every stage; without a commit, what was received goes (and a store made for this write). */
    @Override
    public synchronized void close() throws IOException {
        IOException failure = null;
        List<StagedLayer> all = new ArrayList<>(staged);
        instances.forEach(i -> all.addAll(i.layers()));
        for (StagedLayer layer : all) {
            if (layer.reused()) {
                continue;
            }
            try {
                layer.stage().close();
            } catch (IOException e) {
                failure = e;
            }
        }
        staged.clear();
        if (!committed && newStore) {
            AtomicFiles.deleteTree(storage.options().graphRoot());
        }
        if (failure != null) {
            throw failure;
        }
    }
}
