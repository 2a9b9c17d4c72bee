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
 * Where blobs were last seen ({@code host/repository}), remembered across runs, so a push to
 * another repository of the same registry can mount a blob instead of uploading it. Kept small:
 * the newest few locations per blob, the newest blobs overall.
 */
public final class BlobKnowledge {

    private static final int LOCATIONS_PER_BLOB = 8;
    private static final int MAX_BLOBS = 20_000;

    private final Path file;
    private final Map<Digest, Set<String>> locations = new LinkedHashMap<>();
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

    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        if (file == null || !Files.exists(file)) {
            return;
        }
        try {
            read(Json.read(Files.readAllBytes(file)), locations);
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
            if (Files.exists(file)) {
                try {
                    read(Json.read(Files.readAllBytes(file)), merged);
                } catch (IOException | RuntimeException e) {
                    merged.clear();
                }
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
            AtomicFiles.write(file, Json.write(root));
            changed = false;
        }
    }
}
