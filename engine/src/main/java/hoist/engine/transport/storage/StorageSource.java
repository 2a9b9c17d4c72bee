package hoist.engine.transport.storage;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.HoistException;
import hoist.engine.compress.Compression;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.LayerMediaTypes;
import hoist.engine.image.Manifest;
import hoist.engine.image.ManifestList;
import hoist.engine.image.ManifestFormat;
import hoist.engine.image.MediaTypes;
import hoist.engine.io.DigestMismatchException;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one image of a containers-storage store. Layers there are uncompressed trees, so the
 * manifest handed to the copier names every layer by its uncompressed digest (the diff ID) and
 * size with the uncompressed media type, as containers/image's storage source reports them; the
 * stored manifest is handed out unchanged when it already says so (images buildah committed).
 * Each layer's tarball is rebuilt from its tar-split data and its files as it is read.
 */
final class StorageSource implements ImageSource {

    private final StorageReference reference;
    private final ContainersStorage storage;
    private final ImageRecord image;
    private final RawManifest manifest;
    private final Digest storedManifestDigest;
    private final Map<Digest, LayerRecord> layersByDiff = new HashMap<>();
    private final List<LayerRecord> chain;

    /** Of an image that is a list: each instance's image, by the digest the list names it with; empty otherwise. */
    private final Map<Digest, StorageSource> instances;

    private StorageSource(StorageReference reference, ContainersStorage storage, ImageRecord image, RawManifest manifest,
                          Digest storedManifestDigest, List<LayerRecord> chain, Map<Digest, StorageSource> instances) {
        this.instances = instances;
        this.reference = reference;
        this.storage = storage;
        this.image = image;
        this.manifest = manifest;
        this.storedManifestDigest = storedManifestDigest;
        chain.forEach(l -> layersByDiff.putIfAbsent(l.diffDigest(), l));
        this.chain = List.copyOf(chain);
    }

    /**
     * Opens the image; its metadata and manifest are read under the layers and images locks (in
     * that order, as containers/storage takes them), so no writer is halfway through them.
     */
    static StorageSource open(StorageReference reference, ContainersStorage storage) throws IOException {
        try (StorageLock.Held layers = storage.layersLock().shared(); StorageLock.Held images = storage.imagesLock().shared()) {
            ContainersStorage.Snapshot snapshot = storage.read();
            ImageRecord image = storage.find(reference, snapshot);
            String key = manifestKey(reference, image);
            if (key != null) {
                byte[] bytes = Files.readAllBytes(storage.bigData(image.id(), key));
                if (new RawManifest(bytes, null).parse() instanceof ManifestList list) {
                    return listSource(reference, storage, snapshot, image, list, bytes);
                }
            }
            return single(reference, storage, snapshot, image, key);
        }
    }

    /**
     * An image that is a list, as podman and buildah store one: the list is the image's manifest,
     * each instance an image of its own, found through {@code instances.json} (instance digest to
     * {@code containers-storage:[STORE]@ID}) or, failing that, as the image holding a manifest
     * under that digest. Instances missing from the store are an error only when they are read.
     */
    private static StorageSource listSource(StorageReference reference, ContainersStorage storage, ContainersStorage.Snapshot snapshot,
                                            ImageRecord image, ManifestList list, byte[] bytes) throws IOException {
        Map<String, String> index = new HashMap<>();
        if (image.bigDataNames().contains("instances.json")) {
            JsonNode json = hoist.engine.image.Json.read(Files.readAllBytes(storage.bigData(image.id(), "instances.json")));
            json.fields().forEachRemaining(e -> index.put(e.getKey(), e.getValue().asText()));
        }
        Map<Digest, StorageSource> instances = new java.util.LinkedHashMap<>();
        for (Descriptor entry : list.manifests()) {
            String key = "manifest-" + entry.digest();
            ImageRecord child = null;
            String ref = index.get(entry.digest().toString());
            if (ref != null && ref.contains("@")) {
                String id = ref.substring(ref.lastIndexOf('@') + 1);
                child = snapshot.images().stream().filter(i -> i.id().equals(id)).findFirst().orElse(null);
            }
            if (child == null) {
                child = snapshot.images().stream().filter(i -> i.bigDataNames().contains(key) && i.topLayer() != null)
                        .findFirst().orElse(null);
            }
            if (child != null) {
                instances.put(entry.digest(), single(reference, storage, snapshot, child,
                        child.bigDataNames().contains(key) ? key : manifestKey(reference, child)));
            }
        }
        return new StorageSource(reference, storage, image, new RawManifest(bytes, null), Digest.sha256(bytes), List.of(), instances);
    }

    /** One image (not a list): its manifest from big-data item {@code key} (null: made from its config and layers). */
    private static StorageSource single(StorageReference reference, ContainersStorage storage, ContainersStorage.Snapshot snapshot,
                                        ImageRecord image, String key) throws IOException {
        {
            List<LayerRecord> chain = snapshot.chain(image, reference.text());
            for (LayerRecord layer : chain) {
                if (layer.diffDigest() == null || layer.diffSize() < 0 || layer.incomplete()) {
                    throw new HoistException(reference.text() + ": layer " + layer.id() + " has no recorded uncompressed digest "
                            + "and size (an incomplete layer?)");
                }
            }
            RawManifest manifest;
            Digest storedDigest = null;
            if (key != null) {
                byte[] bytes = Files.readAllBytes(storage.bigData(image.id(), key));
                storedDigest = Digest.sha256(bytes);
                manifest = forCopy(new RawManifest(bytes, null), chain, reference);
            } else {
                manifest = synthesized(storage, image, chain, reference);
            }
            return new StorageSource(reference, storage, image, manifest, storedDigest, chain, Map.of());
        }
    }

    /** The big-data key of the manifest to read: the one the reference's digest names, else the image's own. */
    private static String manifestKey(StorageReference reference, ImageRecord image) {
        List<String> keys = image.bigDataNames();
        if (reference.name() != null && reference.name().digest() != null) {
            String key = "manifest-" + reference.name().digest();
            if (keys.contains(key)) {
                return key;
            }
        }
        if (image.digest() != null && keys.contains("manifest-" + image.digest())) {
            return "manifest-" + image.digest();
        }
        return keys.contains("manifest") ? "manifest" : null;
    }

    /** The stored manifest with its layers as this store hands them out: uncompressed. */
    private static RawManifest forCopy(RawManifest stored, List<LayerRecord> chain, StorageReference reference) {
        Manifest parsed = stored.parse();
        if (!(parsed instanceof ImageManifest m)) {
            throw new HoistException(reference.text() + ": the stored manifest is a list; name one of its images by digest");
        }
        if (m.layers().size() != chain.size()) {
            throw new HoistException(reference.text() + ": the manifest has " + m.layers().size() + " layers but the image has "
                    + chain.size() + " in the store");
        }
        boolean unchanged = true;
        List<Descriptor> layers = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            Descriptor layer = m.layers().get(i);
            LayerRecord stored1 = chain.get(i);
            String type = LayerMediaTypes.of(m.format(), Compression.NONE, MediaTypes.isNonDistributable(layer.mediaType()));
            Descriptor plain = layer.withMediaType(type).withDigestAndSize(stored1.diffDigest(), stored1.diffSize());
            unchanged &= plain.equals(layer);
            layers.add(plain);
        }
        return unchanged ? new RawManifest(m.raw(), m.mediaType()) : RawManifest.of(m.withLayersAndConfig(layers, m.config()));
    }

    /** An OCI manifest made from the config and layers, for images stored without one. */
    private static RawManifest synthesized(ContainersStorage storage, ImageRecord image, List<LayerRecord> chain,
                                           StorageReference reference) throws IOException {
        String configKey = "sha256:" + image.id();
        Path config = storage.bigData(image.id(), configKey);
        if (!Files.exists(config)) {
            throw new HoistException(reference.text() + ": image " + image.id() + " has neither a manifest nor a config");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (LayerRecord layer : chain) {
            layers.add(new Descriptor(MediaTypes.OCI_LAYER, layer.diffDigest(), layer.diffSize()));
        }
        Descriptor configDescriptor = new Descriptor(MediaTypes.OCI_CONFIG, Digest.parse(configKey), Files.size(config));
        return RawManifest.of(ImageManifest.of(ManifestFormat.OCI, configDescriptor, layers, Map.of()));
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    @Override
    public RawManifest manifest(Digest instance) {
        if (instance != null && !instance.equals(manifest.digest()) && !instances.isEmpty()) {
            return instance(instance).manifest(null);
        }
        if (instance != null && !instance.equals(manifest.digest())) {
            throw new HoistException(reference.text() + ": the image has no manifest " + instance);
        }
        return manifest;
    }

    /**
     * An instance of the list this image is, as it is handed out (layers uncompressed, so its
     * digest may differ from the one the list names).
     */
    @Override
    public ImageManifest instanceImage(Digest instance) throws IOException {
        if (instances.isEmpty()) {
            return ImageSource.super.instanceImage(instance);
        }
        if (instance(instance).manifest(null).parse() instanceof ImageManifest image) {
            return image;
        }
        throw new HoistException(reference.text() + ": instance " + instance + " of the list is itself a list");
    }

    private StorageSource instance(Digest digest) {
        StorageSource source = instances.get(digest);
        if (source == null) {
            throw new HoistException(reference.text() + ": the list's instance " + digest + " is not in the store");
        }
        return source;
    }

    private boolean has(Digest digest) {
        return layersByDiff.containsKey(digest) || image.bigDataNames().contains(digest.toString());
    }

    @Override
    public InputStream blob(Descriptor blob) throws IOException {
        for (StorageSource source : instances.values()) {
            if (source.has(blob.digest())) {
                return source.blob(blob);
            }
        }
        LayerRecord layer = layersByDiff.get(blob.digest());
        if (layer != null) {
            return LayerStream.open(storage, layer, chain.subList(0, chain.indexOf(layer)), reference.text());
        }
        String key = blob.digest().toString();
        if (image.bigDataNames().contains(key)) {
            return Files.newInputStream(storage.bigData(image.id(), key));
        }
        throw new HoistException(reference.text() + ": blob " + blob.digest() + " is not part of image " + image.id());
    }

    @Override
    public DigestMismatchException explainMismatch(Descriptor blob, DigestMismatchException mismatch) {
        for (StorageSource source : instances.values()) {
            if (source.has(blob.digest())) {
                return source.explainMismatch(blob, mismatch);
            }
        }
        LayerRecord layer = layersByDiff.get(blob.digest());
        if (layer == null) {
            return mismatch;
        }
        return LayerStream.changedFile(storage, layer)
                .map(changed -> new DigestMismatchException(reference.text() + ": " + changed))
                .orElse(mismatch);
    }

    @Override
    public List<byte[]> signatures(Digest instance) throws IOException {
        if (instance != null && instances.containsKey(instance)) {
            return instances.get(instance).signatures(null);
        }
        if (storedManifestDigest == null || !storedManifestDigest.equals(manifest.digest())) {
            return List.of(); // signatures sign the stored manifest, which is not the one handed out
        }
        String key = "signature-" + storedManifestDigest.hex();
        if (!image.bigDataNames().contains(key)) {
            return List.of();
        }
        byte[] all = Files.readAllBytes(storage.bigData(image.id(), key));
        JsonNode sizes = image.metadata().path("signatures-sizes").path(storedManifestDigest.toString());
        List<byte[]> out = new ArrayList<>();
        int offset = 0;
        for (JsonNode size : sizes) {
            int n = size.asInt();
            if (offset + n > all.length) {
                break;
            }
            out.add(java.util.Arrays.copyOfRange(all, offset, offset + n));
            offset += n;
        }
        return out;
    }
}
