package hoist.engine.compress;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The zstd:chunked layer format as containers/storage writes and reads it: a zstd stream in which
 * every regular file's content starts a new frame (and is cut into further frames, "chunks", by a
 * rolling checksum and at runs of zeros), followed by three skippable frames: the table of contents
 * (TOC, JSON, zstd-compressed), the tar-split of the layer (zstd-compressed), and a 64-byte footer.
 * Any zstd reader reads such a blob as the plain tar; a reader that knows the format fetches the
 * TOC from the position the layer's annotations give and pulls only the files it lacks.
 *
 * <p>The annotations describe one blob's bytes: they are written with a zstd:chunked blob and
 * must be dropped whenever a layer is written in any other form ({@link #withoutAnnotations}).
 *
 * @see <a href="https://github.com/containers/storage/blob/main/pkg/chunked/internal/minimal/compression.go">containers/storage: zstd:chunked format</a>
 */
public final class ZstdChunked {

    /** {@code sha256:HEX} of the compressed TOC as stored in the blob. */
    public static final String MANIFEST_CHECKSUM = "io.github.containers.zstd-chunked.manifest-checksum";
    /** {@code OFFSET:LENGTH:UNCOMPRESSED_LENGTH:TYPE} of the compressed TOC (type 1). */
    public static final String MANIFEST_POSITION = "io.github.containers.zstd-chunked.manifest-position";
    /** {@code OFFSET:LENGTH:UNCOMPRESSED_LENGTH} of the compressed tar-split. */
    public static final String TARSPLIT_POSITION = "io.github.containers.zstd-chunked.tarsplit-position";
    /** The prefix every zstd:chunked annotation starts with. */
    public static final String ANNOTATION_PREFIX = "io.github.containers.zstd-chunked.";
    /**
     * The names containers/storage used before version 1.44 for the TOC's checksum and position
     * (same values): readers of that age (podman 4.3, buildah 1.28, as Debian 12 ships them) find
     * the TOC only under these, so hoist writes both.
     */
    public static final String LEGACY_MANIFEST_CHECKSUM = "io.containers.zstd-chunked.manifest-checksum";
    /** See {@link #LEGACY_MANIFEST_CHECKSUM}. */
    public static final String LEGACY_MANIFEST_POSITION = "io.containers.zstd-chunked.manifest-position";
    private static final String LEGACY_PREFIX = "io.containers.zstd-chunked.";

    /** The TOC's manifest type: a CRFS-style JSON TOC. */
    static final int MANIFEST_TYPE_CRFS = 1;
    /** Bytes of the footer's payload. */
    static final int FOOTER_SIZE = 64;
    /** The last 8 bytes of the footer. */
    static final byte[] FOOTER_MAGIC = {0x47, 0x4e, 0x55, 0x6c, 0x49, 0x6e, 0x55, 0x78};
    /** The magic number of a zstd skippable frame (the first of the 16 that exist). */
    static final byte[] SKIPPABLE_MAGIC = {0x50, 0x2a, 0x4d, 0x18};

    private ZstdChunked() {
    }

    /** Whether a layer annotation belongs to zstd:chunked. */
    public static boolean isAnnotation(String key) {
        return key.startsWith(ANNOTATION_PREFIX) || key.startsWith(LEGACY_PREFIX);
    }

    /** {@code annotations} without the zstd:chunked ones (the same map when it has none). */
    public static Map<String, String> withoutAnnotations(Map<String, String> annotations) {
        if (annotations.keySet().stream().noneMatch(ZstdChunked::isAnnotation)) {
            return annotations;
        }
        Map<String, String> kept = new LinkedHashMap<>();
        annotations.forEach((k, v) -> {
            if (!isAnnotation(k)) {
                kept.put(k, v);
            }
        });
        return kept;
    }

    /** Whether a layer's annotations say it is a zstd:chunked blob (its TOC position and checksum are given). */
    public static boolean isChunked(Map<String, String> annotations) {
        return annotations.containsKey(MANIFEST_CHECKSUM) && annotations.containsKey(MANIFEST_POSITION)
                || annotations.containsKey(LEGACY_MANIFEST_CHECKSUM) && annotations.containsKey(LEGACY_MANIFEST_POSITION);
    }
}
