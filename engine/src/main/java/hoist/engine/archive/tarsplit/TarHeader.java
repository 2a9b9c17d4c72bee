package hoist.engine.archive.tarsplit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * One archive entry as its headers describe it, after PAX extended headers and GNU long names
 * have been applied.
 *
 * @param name     the entry's name as raw bytes (relative, maybe with a leading {@code ./})
 * @param type     the typeflag: {@code '0'} regular, {@code '1'} hard link, {@code '2'} symlink,
 *                 {@code '3'} char device, {@code '4'} block device, {@code '5'} directory, {@code '6'} FIFO
 * @param mode     permission and set-id bits
 * @param uid      owner
 * @param gid      group
 * @param size     content length in bytes (0 for entries without content)
 * @param mtime    modification time, seconds since the epoch
 * @param linkName target of a link, or empty
 * @param devMajor device major number
 * @param devMinor device minor number
 * @param xattrs   extended attributes ({@code SCHILY.xattr.NAME} PAX records), name to raw value
 * @param modTime    modification time to the precision the archive gives (a PAX {@code mtime} may
 *                   carry a fraction); never null
 * @param accessTime access time from a PAX {@code atime} record or a GNU header, or null when absent
 * @param changeTime change time from a PAX {@code ctime} record or a GNU header, or null when absent
 * @see <a href="https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html">pax interchange format</a>
 */
public record TarHeader(byte[] name, char type, int mode, long uid, long gid, long size, long mtime,
                        String linkName, long devMajor, long devMinor, Map<String, byte[]> xattrs,
                        Instant modTime, Instant accessTime, Instant changeTime) {

    public static final char REGULAR = '0';
    public static final char HARD_LINK = '1';
    public static final char SYMLINK = '2';
    public static final char CHAR_DEVICE = '3';
    public static final char BLOCK_DEVICE = '4';
    public static final char DIRECTORY = '5';
    public static final char FIFO = '6';

    /** The name as text (invalid UTF-8 replaced), for messages and paths. */
    public String nameText() {
        return new String(name, StandardCharsets.UTF_8);
    }

    /** Whether the entry carries content bytes after its header. */
    public boolean hasContent() {
        return type == REGULAR && size > 0;
    }
}
