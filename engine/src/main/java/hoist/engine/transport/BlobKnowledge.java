package hoist.engine.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;
import hoist.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What earlier copies learned of blobs, remembered across runs. Where blobs were last seen
 * ({@code host/repository}), so a push to another repository of the same registry can mount a
 * blob instead of uploading it; and which compressed blob an uncompressed layer became, per
 * compression and level, so a second push of an uncompressed layer (containers-storage keeps
 * layers so) finds the compressed blob at the destination without compressing it again. Kept
 * small: the newest few locations per blob, the newest blobs overall.
 */
public final class BlobKnowledge {

    private static final int LOCATIONS_PER_BLOB = 8;
    private static final int MAX_BLOBS = 20_000;

    private final Path file;
    private final Map<Digest, Set<String>> locations = new LinkedHashMap<>();
    private final Map<Digest, Map<String, String>> compressed = new LinkedHashMap<>();
    private boolean loaded;
    private boolean changed;

    public BlobKnowledge(Path file) {
        this.file = file;
    }

    /** Nothing remembered, nothing saved: for tests and throwaway contexts. */
    public static BlobKnowledge inMemory() {
        return new BlobKnowledge(null);
    }

    public synchronized void seen(Digest blob, String location) {
        load();
        Set<String> where = locations.remove(blob);
        if (where == null) {
            where = new LinkedHashSet<>();
        }
        where.remove(location);
        where.add(location);
        while (where.size() > LOCATIONS_PER_BLOB) {
            where.remove(where.iterator().next());
        }
        locations.put(blob, where);
        changed = true;
    }

    /** Places the blob was seen, newest first. */
    public synchronized List<String> locations(Digest blob) {
        load();
        List<String> where = new ArrayList<>(locations.getOrDefault(blob, Set.of()));
        java.util.Collections.reverse(where);
        return where;
    }

    /**
     * A compressed blob made from an uncompressed one.
     *
     * @param digest the compressed blob's digest
     * @param size   its size in bytes
     */
    public record CompressedBlob(Digest digest, long size) {
    }

    /**
     * Records that {@code uncompressed} compressed with {@code compression} (its lower-case name:
     * {@code gzip}, {@code zstd}) at {@code level} (null: the default) gave {@code result}.
     */
    public synchronized void compressed(Digest uncompressed, String compression, Integer level, CompressedBlob result) {
        load();
        Map<String, String> forms = compressed.remove(uncompressed);
        if (forms == null) {
            forms = new LinkedHashMap<>();
        }
        forms.put(compressionKey(compression, level), result.digest() + "@" + result.size());
        compressed.put(uncompressed, forms);
        changed = true;
    }

    /** The blob {@code uncompressed} became with that compression and level, if a copy recorded it. */
    public synchronized java.util.Optional<CompressedBlob> compressedFor(Digest uncompressed, String compression, Integer level) {
        load();
        String value = compressed.getOrDefault(uncompressed, Map.of()).get(compressionKey(compression, level));
        if (value == null) {
            return java.util.Optional.empty();
        }
        int at = value.lastIndexOf('@');
        try {
            return java.util.Optional.of(new CompressedBlob(Digest.parse(value.substring(0, at)),
                    Long.parseLong(value.substring(at + 1))));
        } catch (RuntimeException e) {
            return java.util.Optional.empty(); // a damaged entry only costs a compression
        }
    }

    private static String compressionKey(String compression, Integer level) {
        return compression + "/" + (level == null ? "default" : level.toString());
    }

    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        if (file == null || !Files.exists(file)) {
            return;
        }
        try {
            JsonNode root = Json.read(Files.readAllBytes(file));
            read(root, locations);
            readCompressed(root, compressed);
        } catch (IOException | RuntimeException e) {
            // a damaged cache only costs uploads; it is rewritten on the next save
        }
    }

    private static void read(JsonNode root, Map<Digest, Set<String>> into) {
        root.path("blobs").fields().forEachRemaining(e -> {
            Set<String> where = into.computeIfAbsent(Digest.parse(e.getKey()), d -> new LinkedHashSet<>());
            e.getValue().forEach(l -> where.add(l.asText()));
        });
    }

    private static void readCompressed(JsonNode root, Map<Digest, Map<String, String>> into) {
        root.path("compressed").fields().forEachRemaining(e -> {
            Map<String, String> forms = into.computeIfAbsent(Digest.parse(e.getKey()), d -> new LinkedHashMap<>());
            e.getValue().fields().forEachRemaining(f -> forms.put(f.getKey(), f.getValue().asText()));
        });
    }

    /** Merges what this process learned into the file, under a lock (other processes save too). */
    public synchronized void save() throws IOException {
        if (file == null || !changed) {
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            Map<Digest, Set<String>> merged = new LinkedHashMap<>();
            Map<Digest, Map<String, String>> mergedCompressed = new LinkedHashMap<>();
            if (Files.exists(file)) {
                try {
                    JsonNode old = Json.read(Files.readAllBytes(file));
                    read(old, merged);
                    readCompressed(old, mergedCompressed);
                } catch (IOException | RuntimeException e) {
                    merged.clear();
                    mergedCompressed.clear();
                }
            }
            compressed.forEach((digest, forms) -> {
                Map<String, String> all = mergedCompressed.remove(digest);
                Map<String, String> combined = new LinkedHashMap<>(all == null ? Map.of() : all);
                combined.putAll(forms);
                mergedCompressed.put(digest, combined);
            });
            while (mergedCompressed.size() > MAX_BLOBS) {
                mergedCompressed.remove(mergedCompressed.keySet().iterator().next());
            }
            locations.forEach((digest, where) -> {
                Set<String> all = merged.remove(digest);
                Set<String> combined = new LinkedHashSet<>(all == null ? Set.of() : all);
                combined.removeAll(where);
                combined.addAll(where);
                merged.put(digest, combined);
            });
            while (merged.size() > MAX_BLOBS) {
                merged.remove(merged.keySet().iterator().next());
            }
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            ObjectNode blobs = root.putObject("blobs");
            merged.forEach((digest, where) -> {
                var array = blobs.putArray(digest.toString());
                where.forEach(array::add);
            });
            ObjectNode compressedNode = root.putObject("compressed");
            mergedCompressed.forEach((digest, forms) -> {
                ObjectNode node = compressedNode.putObject(digest.toString());
                forms.forEach(node::put);
            });
            removeAbandonedTemporaries();
            AtomicFiles.write(file, Json.write(root));
            changed = false;
        }
    }

    /**
     * Deletes the temporary files ({@code .FILE.RANDOM.tmp}, beside the file) of a save killed
     * before its rename. Only a holder of the lock writes one, so under the lock none is live.
     */
    private void removeAbandonedTemporaries() throws IOException {
        String prefix = "." + file.getFileName() + ".";
        try (java.util.stream.Stream<Path> siblings = Files.list(file.toAbsolutePath().getParent())) {
            for (Path sibling : siblings.toList()) {
                String name = sibling.getFileName().toString();
                if (name.startsWith(prefix) && name.endsWith(".tmp")) {
                    Files.deleteIfExists(sibling);
                }
            }
        }
    }
}
