package hoist.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;
import hoist.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The store's {@code images.json}: an {@link ImageIndex} read and written whole, the write atomic
 * (temporary file, fsync, rename). Its shape: {@code {"images": [{"digest", "mediaType", "id",
 * "names": [...], "created", "size"}]}}, digests as {@code sha256:HEX}, {@code size} in bytes.
 */
final class ImageIndexFile {

    private ImageIndexFile() {
    }

    /**
     * The index in {@code file}; empty when there is no such file (a new store).
     *
     * @throws HoistException when the file does not parse, naming it
     */
    static ImageIndex read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return ImageIndex.empty();
        }
        try {
            JsonNode root = Json.read(Files.readAllBytes(file));
            List<StoredImage> images = new ArrayList<>();
            for (JsonNode node : root.path("images")) {
                List<String> names = new ArrayList<>();
                node.path("names").forEach(n -> names.add(n.asText()));
                images.add(new StoredImage(Digest.parse(node.path("digest").asText()), node.path("mediaType").asText(),
                        Digest.parse(node.path("id").asText()), names, node.path("created").asText(null),
                        node.path("size").asLong()));
            }
            return new ImageIndex(images);
        } catch (IOException | IllegalArgumentException e) {
            throw new HoistException(file + " is damaged (" + e.getMessage() + "); run hoist check", e);
        }
    }

    /**
     * Replaces {@code file} with {@code index}, atomically: written to a temporary file in
     * {@code tmp} (the store's own, on the same file system), forced to disk, renamed over it.
     * Only the holder of the store lock writes, so a temporary file found there by the next lock
     * holder was left by a writer that died.
     */
    static void write(Path file, ImageIndex index, Path tmp) throws IOException {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode array = root.putArray("images");
        for (StoredImage image : index.images()) {
            ObjectNode node = array.addObject();
            node.put("digest", image.manifestDigest().toString());
            node.put("mediaType", image.mediaType());
            node.put("id", image.id().toString());
            ArrayNode names = node.putArray("names");
            image.names().forEach(names::add);
            if (image.created() != null) {
                node.put("created", image.created());
            }
            node.put("size", image.size());
        }
        replace(file, Json.pretty(root).getBytes(java.nio.charset.StandardCharsets.UTF_8), tmp);
    }

    /** Writes {@code bytes} to {@code target} through a temporary file in {@code tmp}: whole or not at all. Under the store lock. */
    static void replace(Path target, byte[] bytes, Path tmp) throws IOException {
        Files.createDirectories(tmp);
        Path temp = AtomicFiles.createTempFile(tmp, LOCKED_TEMP_PREFIX, ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            AtomicFiles.move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The name prefix of the temporary files {@link #replace} makes. */
    static final String LOCKED_TEMP_PREFIX = "locked-";
}
