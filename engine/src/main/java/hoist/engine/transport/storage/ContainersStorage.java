package hoist.engine.transport.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;
import hoist.engine.io.AtomicFiles;
import hoist.engine.transport.DockerReference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A containers-storage store on disk: where its files are, its metadata read under its locks,
 * and the operations commands need on it as a whole ({@link #images()}, {@link #tag}, {@link #remove}).
 * Reading takes {@code layers.lock} and {@code images.lock} shared; every change takes
 * {@code storage.lock} and the affected lock exclusively, rewrites the JSON file atomically and
 * records a new last-writer token, as containers/storage does.
 *
 * @see <a href="https://github.com/containers/storage/blob/main/store.go">containers/storage store</a>
 */
public final class ContainersStorage {

    /**
     * An image as {@code podman images} lists it.
     *
     * @param id      the image ID (64 hex, the config's digest)
     * @param names   full names ({@code localhost/app:1}), maybe empty
     * @param digest  the manifest's digest, or null when none is recorded
     * @param created RFC 3339 time the image was stored, or empty
     * @param size    bytes: the uncompressed layers plus the big-data items, -1 when a layer's size is unknown
     */
    public record ImageSummary(String id, List<String> names, Digest digest, String created, long size) {
    }

    /** layers.json and images.json as read together under their locks. */
    record Snapshot(List<LayerRecord> layers, List<ImageRecord> images) {

        LayerRecord layer(String id) {
            for (LayerRecord l : layers) {
                if (l.id().equals(id)) {
                    return l;
                }
            }
            return null;
        }

        /** The image's layers, bottom first. */
        List<LayerRecord> chain(ImageRecord image, String what) {
            List<LayerRecord> chain = new ArrayList<>();
            String id = image.topLayer();
            Set<String> seen = new HashSet<>();
            while (id != null) {
                LayerRecord layer = layer(id);
                if (layer == null || !seen.add(id)) {
                    throw new HoistException(what + ": layer " + id + " of image " + image.id() + " is missing from layers.json");
                }
                chain.add(0, layer);
                id = layer.parent();
            }
            return chain;
        }
    }

    private final StoreOptions options;
    private final String what;

    private ContainersStorage(StoreOptions options, String what) {
        this.options = options;
        this.what = what;
    }

    /**
     * Opens an existing store for reading.
     *
     * @param what names the store in messages (the reference being read)
     * @throws HoistException when the graph root does not exist or the driver is not supported
     */
    public static ContainersStorage open(StoreOptions options, String what) {
        checkDriver(options, what);
        if (!Files.isDirectory(options.graphRoot())) {
            throw new HoistException(what + ": storage root " + options.graphRoot() + " does not exist");
        }
        return new ContainersStorage(options, what);
    }

    /**
     * The store podman and buildah use here ({@link StoreOptions#defaults()}), for commands whose
     * bare image names mean containers-storage.
     *
     * @throws HoistException when it does not exist or its driver is not supported
     */
    public static ContainersStorage openDefault() {
        return open(StoreOptions.defaults(), StorageTransport.NAME);
    }

    /** Opens a store for writing, making its directories when the store is new. */
    public static ContainersStorage openForWriting(StoreOptions options, String what) throws IOException {
        checkDriver(options, what);
        if (Files.exists(options.graphRoot()) && !Files.isDirectory(options.graphRoot())) {
            throw new HoistException(what + ": storage root " + options.graphRoot() + " is not a directory");
        }
        ContainersStorage storage = new ContainersStorage(options, what);
        for (Path dir : List.of(storage.layersDir(), storage.imagesDir(), storage.driverDir())) {
            Files.createDirectories(dir);
        }
        return storage;
    }

    private static void checkDriver(StoreOptions options, String what) {
        if (!StoreOptions.DRIVERS.contains(options.driver())) {
            throw new HoistException(what + ": storage driver \"" + options.driver() + "\" is not supported: expected one of "
                    + String.join(", ", StoreOptions.DRIVERS));
        }
    }

    public StoreOptions options() {
        return options;
    }

    String what() {
        return what;
    }

    Path layersDir() {
        return options.graphRoot().resolve(options.driver() + "-layers");
    }

    Path imagesDir() {
        return options.graphRoot().resolve(options.driver() + "-images");
    }

    /** The driver's own directory: {@code vfs/dir} or {@code overlay}. */
    Path driverDir() {
        return options.driver().equals("vfs") ? options.graphRoot().resolve("vfs").resolve("dir")
                : options.graphRoot().resolve("overlay");
    }

    /** The directory holding a layer's files: the whole tree for vfs, the {@code diff} directory for overlay. */
    Path layerFiles(String id) {
        return options.driver().equals("vfs") ? driverDir().resolve(id) : driverDir().resolve(id).resolve("diff");
    }

    Path tarSplit(String layerId) {
        return layersDir().resolve(layerId + ".tar-split.gz");
    }

    Path bigData(String imageId, String key) {
        return imagesDir().resolve(imageId).resolve(ImageRecord.bigDataFileName(key));
    }

    StorageLock graphLock() {
        return StorageLock.of(options.graphRoot().resolve("storage.lock"));
    }

    StorageLock layersLock() {
        return StorageLock.of(layersDir().resolve("layers.lock"));
    }

    StorageLock imagesLock() {
        return StorageLock.of(imagesDir().resolve("images.lock"));
    }

    Path layersJson() {
        return layersDir().resolve("layers.json");
    }

    Path imagesJson() {
        return imagesDir().resolve("images.json");
    }

    /** Reads layers.json and images.json, each under its shared lock. */
    Snapshot read() throws IOException {
        List<LayerRecord> layers = new ArrayList<>();
        try (StorageLock.Held held = layersLock().shared()) {
            for (ObjectNode node : readArray(layersJson())) {
                layers.add(new LayerRecord(node));
            }
        }
        List<ImageRecord> images = new ArrayList<>();
        try (StorageLock.Held held = imagesLock().shared()) {
            for (ObjectNode node : readArray(imagesJson())) {
                images.add(new ImageRecord(node));
            }
        }
        return new Snapshot(layers, images);
    }

    /** The objects of a JSON array file; an absent file is an empty store. */
    List<ObjectNode> readArray(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new ArrayList<>();
        }
        JsonNode root;
        try {
            root = Json.read(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new HoistException(what + ": " + file + " is damaged (not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new ArrayList<>();
        }
        if (!root.isArray()) {
            throw new HoistException(what + ": " + file + " is damaged (expected a JSON array)");
        }
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode n : root) {
            if (!n.isObject() || n.path("id").asText("").isEmpty()) {
                throw new HoistException(what + ": " + file + " is damaged (an entry without an \"id\")");
            }
            out.add((ObjectNode) n);
        }
        return out;
    }

    void writeArray(Path file, List<ObjectNode> entries) throws IOException {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        entries.forEach(array::add);
        AtomicFiles.write(file, Json.write(array));
    }

    /** The image {@code ref} names, or a {@link HoistException} naming the reference when there is none. */
    ImageRecord find(StorageReference ref, Snapshot snapshot) {
        List<ImageRecord> images = snapshot.images();
        if (ref.id() != null) {
            for (ImageRecord image : images) {
                if (image.id().equals(ref.id()) && (ref.name() == null || matchesName(image, ref))) {
                    return image;
                }
            }
            throw notFound(ref);
        }
        if (ref.name() != null) {
            ImageRecord byName = findByName(ref, images);
            if (byName != null) {
                return byName;
            }
        }
        if (ref.given().matches("[0-9a-f]{3,63}")) {
            List<ImageRecord> matches = images.stream().filter(i -> i.id().startsWith(ref.given())).toList();
            if (matches.size() == 1) {
                return matches.get(0);
            }
            if (matches.size() > 1) {
                throw new HoistException(ref.text() + ": image ID prefix " + ref.given() + " is ambiguous ("
                        + matches.size() + " images)");
            }
        }
        throw notFound(ref);
    }

    private static ImageRecord findByName(StorageReference ref, List<ImageRecord> images) {
        for (String candidate : ref.candidateNames()) {
            DockerReference wanted = DockerReference.parse(candidate);
            for (ImageRecord image : images) {
                if (wanted.digest() == null) {
                    if (image.names().contains(candidate)) {
                        return image;
                    }
                } else if (image.digests().contains(wanted.digest())
                        && image.names().stream().anyMatch(n -> sameRepository(n, wanted))) {
                    return image;
                }
            }
        }
        return null;
    }

    private static boolean matchesName(ImageRecord image, StorageReference ref) {
        return findByName(ref, List.of(image)) != null;
    }

    private static boolean sameRepository(String name, DockerReference wanted) {
        try {
            return DockerReference.parse(name).name().equals(wanted.name());
        } catch (HoistException e) {
            return false;
        }
    }

    private HoistException notFound(StorageReference ref) {
        return new HoistException(ref.text() + ": image not known in " + options.graphRoot() + " (driver " + options.driver() + ")");
    }

    private StorageReference parse(String image) {
        return StorageReference.parse(new StorageTransport(), image);
    }

    /** Every image, as {@code podman images} lists them (newest last, as stored). */
    public List<ImageSummary> images() throws IOException {
        Snapshot snapshot = read();
        List<ImageSummary> out = new ArrayList<>();
        for (ImageRecord image : snapshot.images()) {
            long size = 0;
            try {
                for (LayerRecord layer : snapshot.chain(image, what)) {
                    size = layer.diffSize() < 0 || size < 0 ? -1 : size + layer.diffSize();
                }
            } catch (HoistException e) {
                size = -1;
            }
            if (size >= 0) {
                for (String key : image.bigDataNames()) {
                    size += Math.max(0, image.bigDataSize(key));
                }
            }
            out.add(new ImageSummary(image.id(), image.names(), image.digest(), image.created(), size));
        }
        return out;
    }

    /**
     * Adds {@code newName} to the image {@code image} names (a name, ID or ID prefix), taking it
     * from any other image that had it, as {@code podman tag} does.
     */
    public void tag(String image, String newName) throws IOException {
        String name = DockerReference.parse(newName).withDefaultTag().toString();
        StorageReference ref = parse(image);
        try (StorageLock.Held graph = graphLock().exclusive(); StorageLock.Held held = imagesLock().exclusive()) {
            List<ObjectNode> entries = readArray(imagesJson());
            Snapshot snapshot = new Snapshot(List.of(), entries.stream().map(ImageRecord::new).toList());
            String id = find(ref, snapshot).id();
            for (ObjectNode entry : entries) {
                List<String> names = new ImageRecord(entry).names();
                if (entry.path("id").asText().equals(id)) {
                    if (!names.contains(name)) {
                        names.add(name);
                        setNames(entry, names, name);
                    }
                } else if (names.remove(name)) {
                    setNames(entry, names, null);
                }
            }
            writeArray(imagesJson(), entries);
            held.touch();
        }
    }

    static void setNames(ObjectNode entry, List<String> names, String added) {
        ArrayNode array = entry.putArray("names");
        names.forEach(array::add);
        if (names.isEmpty()) {
            entry.remove("names");
        }
        if (added != null) {
            List<String> history = new ArrayList<>();
            history.add(added);
            entry.path("names-history").forEach(n -> {
                if (!n.asText().equals(added)) {
                    history.add(n.asText());
                }
            });
            ArrayNode h = entry.putArray("names-history");
            history.forEach(h::add);
        }
    }

    /**
     * Removes an image (a name, ID or ID prefix) with its big-data, and the layers no other image
     * or container uses. An image that a container uses is refused.
     *
     * @return the removed image's ID
     */
    public String remove(String image) throws IOException {
        StorageReference ref = parse(image);
        try (StorageLock.Held graph = graphLock().exclusive();
             StorageLock.Held layersHeld = layersLock().exclusive();
             StorageLock.Held imagesHeld = imagesLock().exclusive()) {
            List<ObjectNode> imageEntries = readArray(imagesJson());
            List<ObjectNode> layerEntries = readArray(layersJson());
            Snapshot snapshot = new Snapshot(layerEntries.stream().map(LayerRecord::new).toList(),
                    imageEntries.stream().map(ImageRecord::new).toList());
            ImageRecord target = find(ref, snapshot);
            Set<String> inUse = new HashSet<>();
            for (ObjectNode container : readArray(options.graphRoot().resolve(options.driver() + "-containers").resolve("containers.json"))) {
                if (container.path("image").asText().equals(target.id())) {
                    throw new HoistException(ref.text() + ": image " + target.id() + " is used by container "
                            + container.path("id").asText() + "; remove the container first");
                }
                collect(snapshot, container.path("layer").asText(""), inUse);
            }
            for (ImageRecord other : snapshot.images()) {
                if (!other.id().equals(target.id())) {
                    collect(snapshot, other.topLayer(), inUse);
                }
            }
            List<String> doomed = new ArrayList<>();
            for (String id = target.topLayer(); id != null && !inUse.contains(id); ) {
                doomed.add(id);
                LayerRecord layer = snapshot.layer(id);
                id = layer == null ? null : layer.parent();
            }
            imageEntries.removeIf(e -> e.path("id").asText().equals(target.id()));
            writeArray(imagesJson(), imageEntries);
            imagesHeld.touch();
            AtomicFiles.deleteTree(imagesDir().resolve(target.id()));
            if (!doomed.isEmpty()) {
                // as containers/storage deletes a layer: flagged incomplete first, so that a process killed
                // part-way leaves layers the next writer deletes rather than entries without their files
                for (ObjectNode entry : layerEntries) {
                    if (doomed.contains(entry.path("id").asText())) {
                        ObjectNode flags = entry.get("flags") instanceof ObjectNode f ? f : entry.putObject("flags");
                        flags.put("incomplete", true);
                    }
                }
                writeArray(layersJson(), layerEntries);
                for (String id : doomed) {
                    LayerDirectories.of(this).remove(id);
                    Files.deleteIfExists(tarSplit(id));
                }
                layerEntries.removeIf(e -> doomed.contains(e.path("id").asText()));
                writeArray(layersJson(), layerEntries);
                layersHeld.touch();
            }
            return target.id();
        }
    }

    private static void collect(Snapshot snapshot, String top, Set<String> into) {
        for (String id = top; id != null && !id.isEmpty() && into.add(id); ) {
            LayerRecord layer = snapshot.layer(id);
            id = layer == null ? null : layer.parent();
        }
    }

    /** Names of every image, for completion and listing: name to image ID. */
    public Map<String, String> names() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (ImageRecord image : read().images()) {
            image.names().forEach(n -> out.put(n, image.id()));
        }
        return out;
    }

    /**
     * The ID (64 hex) of the image {@code image} names: a name, an ID or a unique ID prefix.
     *
     * @throws HoistException when no image matches, or several match a prefix
     */
    public String resolve(String image) throws IOException {
        return find(parse(image), read()).id();
    }

    /**
     * Takes the name {@code name} (a full reference, {@code localhost/app:1}) from the image that
     * has it, leaving the image itself, as {@code podman untag} does.
     *
     * @throws HoistException when no image has that name
     */
    public void untag(String name) throws IOException {
        try (StorageLock.Held graph = graphLock().exclusive(); StorageLock.Held held = imagesLock().exclusive()) {
            List<ObjectNode> entries = readArray(imagesJson());
            boolean found = false;
            for (ObjectNode entry : entries) {
                List<String> names = new ImageRecord(entry).names();
                if (names.remove(name)) {
                    setNames(entry, names, null);
                    found = true;
                }
            }
            if (!found) {
                throw new HoistException(name + ": image not known in " + options.graphRoot());
            }
            writeArray(imagesJson(), entries);
            held.touch();
        }
    }
}
