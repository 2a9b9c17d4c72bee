package hoist.engine.archive.tarsplit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One line of tar-split data. A {@link Type#SEGMENT} carries raw archive bytes ({@code payload})
 * to be written as they are; a {@link Type#FILE} names an archive entry whose {@code size} bytes of
 * content are read from the extracted file {@code name}, and whose {@code payload} is the CRC-64
 * (ISO polynomial, 8 bytes, big-endian) of that content, or null when the entry has no content.
 *
 * @param type     what the line is
 * @param name     the entry's name as the archive gives it (relative path, maybe with a leading
 *                 {@code ./}), as raw bytes since a name need not be UTF-8; null for segments
 * @param size     the content length in bytes; 0 for segments and entries without content
 * @param payload  the raw bytes of a segment, the checksum of a file, or null
 * @param position the line's index, from 0
 * @see <a href="https://github.com/vbatts/tar-split/blob/main/tar/storage/entry.go">tar-split entry</a>
 */
public record TarSplitEntry(Type type, byte[] name, long size, byte[] payload, int position) {

    /** The two kinds of line, with the numbers tar-split writes for them. */
    public enum Type {
        FILE(1), SEGMENT(2);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        /** The number tar-split writes in the {@code type} field. */
        public int code() {
            return code;
        }

        static Type of(int code) {
            return switch (code) {
                case 1 -> FILE;
                case 2 -> SEGMENT;
                default -> throw new IllegalArgumentException("unknown tar-split entry type " + code);
            };
        }
    }

    /** A line of raw archive bytes. */
    public static TarSplitEntry segment(byte[] bytes, int position) {
        return new TarSplitEntry(Type.SEGMENT, null, 0, bytes, position);
    }

    /** A line naming an entry; {@code checksum} null for entries without content. */
    public static TarSplitEntry file(byte[] name, long size, byte[] checksum, int position) {
        return new TarSplitEntry(Type.FILE, name, size, checksum, position);
    }

    /** The name as text (invalid UTF-8 replaced), for messages. */
    public String nameText() {
        return name == null ? "" : new String(name, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TarSplitEntry e && type == e.type && size == e.size && position == e.position
                && Arrays.equals(name, e.name) && Arrays.equals(payload, e.payload);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(name) * 31 + Arrays.hashCode(payload) + position;
    }

    @Override
    public String toString() {
        return type + "#" + position + (name == null ? "" : " " + nameText()) + (size > 0 ? " " + size + " bytes" : "");
    }
}
