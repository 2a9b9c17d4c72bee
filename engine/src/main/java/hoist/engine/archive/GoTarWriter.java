package hoist.engine.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes a tar stream byte for byte as Go's {@code archive/tar} Writer does when the header asks
 * for no format, which is how containers/storage (and so podman and buildah) write the layers they
 * make from directories: USTAR headers (a long name split into prefix and name where it can be),
 * a PAX extended header ({@code PaxHeaders.0/NAME}, records sorted by key) only when a header
 * needs one (extended attributes, a name, link target, user or group name that is not ASCII or
 * too long), numbers as zero-padded octal ended by a NUL, the checksum as six digits, NUL and
 * space, content padded to 512 bytes, and two zero blocks at the end with no record padding.
 *
 * @see <a href="https://pkg.go.dev/archive/tar#Writer">Go archive/tar Writer</a>
 * @see <a href="https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html">pax interchange format</a>
 */
public final class GoTarWriter implements Closeable {

    private static final int BLOCK = 512;
    private static final int NAME_SIZE = 100;
    private static final int PREFIX_SIZE = 155;

    /**
     * One entry's header.
     *
     * @param name     entry name (directories end with {@code /})
     * @param type     typeflag: {@code '0'} file, {@code '1'} hard link, {@code '2'} symlink,
     *                 {@code '3'}/{@code '4'} char/block device, {@code '5'} directory, {@code '6'} FIFO
     * @param mode     mode bits as containers/storage writes them (file type bits included)
     * @param uid      owner
     * @param gid      group
     * @param size     content length in bytes (0 for entries without content)
     * @param mtime    modification time, whole seconds since the epoch
     * @param linkName link target, or empty
     * @param uname    owner's name, or empty
     * @param gname    group's name, or empty
     * @param devMajor device major number
     * @param devMinor device minor number
     * @param xattrs   extended attributes, name to raw value (written as {@code SCHILY.xattr.NAME})
     */
    public record Header(String name, char type, long mode, long uid, long gid, long size, long mtime, String linkName,
                         String uname, String gname, long devMajor, long devMinor, Map<String, byte[]> xattrs) {
    }

    private final OutputStream out;
    private long remaining;
    private int padding;

    /** Writes to {@code out}, which {@link #close()} does not close. */
    public GoTarWriter(OutputStream out) {
        this.out = out;
    }

    /**
     * Starts an entry; exactly {@code header.size()} bytes of content must follow through
     * {@link #write} before the next.
     *
     * @throws IOException when the previous entry's content is incomplete, or a number does not fit
     */
    public void putEntry(Header header) throws IOException {
        finishEntry();
        SortedMap<String, byte[]> pax = new TreeMap<>();
        boolean ustar = true;
        String name = header.name();
        ustar &= fits(name, NAME_SIZE, "path", pax, true);
        ustar &= fits(header.linkName(), NAME_SIZE, "linkpath", pax, false);
        ustar &= fits(header.uname(), 32, "uname", pax, false);
        ustar &= fits(header.gname(), 32, "gname", pax, false);
        ustar &= octal(header.uid(), 8, "uid", pax);
        ustar &= octal(header.gid(), 8, "gid", pax);
        ustar &= octal(header.size(), 12, "size", pax);
        if (!header.xattrs().isEmpty()) {
            ustar = false;
            header.xattrs().forEach((k, v) -> pax.put("SCHILY.xattr." + k, v));
        }
        byte[] block = new byte[BLOCK];
        if (ustar) {
            String prefix = "";
            String[] split = splitUstarPath(name);
            if (split != null) {
                prefix = split[0];
                name = split[1];
            }
            fillV7Plus(block, header, name);
            string(block, 345, PREFIX_SIZE, prefix);
        } else {
            writePaxHeader(header.name(), pax);
            fillV7Plus(block, header, ascii(name));
        }
        finishBlock(block);
        out.write(block);
        remaining = contentless(header.type()) ? 0 : header.size();
        padding = (int) ((BLOCK - remaining % BLOCK) % BLOCK);
    }

    /** Content of the current entry. */
    public void write(byte[] b, int off, int len) throws IOException {
        if (len > remaining) {
            throw new IOException("more content than the header's size");
        }
        out.write(b, off, len);
        remaining -= len;
    }

    private void finishEntry() throws IOException {
        if (remaining != 0) {
            throw new IOException(remaining + " bytes of content missing");
        }
        out.write(new byte[padding]);
        padding = 0;
    }

    /** Ends the last entry and writes the two zero blocks that end the archive. */
    @Override
    public void close() throws IOException {
        finishEntry();
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    private void writePaxHeader(String realName, SortedMap<String, byte[]> records) throws IOException {
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> r : records.entrySet()) {
            data.write(record(r.getKey(), r.getValue()));
        }
        int slash = realName.lastIndexOf('/', realName.length() - 1);
        String dir = realName.substring(0, slash + 1);
        String file = realName.substring(slash + 1);
        String name = clean(dir + "PaxHeaders.0" + (file.isEmpty() ? "" : "/" + file));
        name = ascii(name);
        if (name.length() > NAME_SIZE) {
            name = name.substring(0, NAME_SIZE);
        }
        while (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        byte[] block = new byte[BLOCK];
        block[156] = 'x';
        string(block, 0, NAME_SIZE, name);
        octalField(block, 100, 8, 0);
        octalField(block, 108, 8, 0);
        octalField(block, 116, 8, 0);
        octalField(block, 124, 12, data.size());
        octalField(block, 136, 12, 0);
        finishBlock(block);
        out.write(block);
        data.writeTo(out);
        out.write(new byte[(BLOCK - data.size() % BLOCK) % BLOCK]);
    }

    /** {@code "%d %s=%s\n"} where the length counts itself. */
    private static byte[] record(String key, byte[] value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int size = k.length + value.length + 3;
        size += Integer.toString(size).length();
        if (Integer.toString(size).length() + k.length + value.length + 3 != size) {
            size = Integer.toString(size).length() + k.length + value.length + 3;
        }
        java.io.ByteArrayOutputStream r = new java.io.ByteArrayOutputStream(size);
        r.writeBytes((size + " ").getBytes(StandardCharsets.US_ASCII));
        r.writeBytes(k);
        r.write('=');
        r.writeBytes(value);
        r.write('\n');
        return r.toByteArray();
    }

    private static void fillV7Plus(byte[] block, Header h, String name) {
        block[156] = (byte) h.type();
        string(block, 0, NAME_SIZE, name);
        string(block, 157, NAME_SIZE, ascii(h.linkName()));
        octalField(block, 100, 8, h.mode());
        octalField(block, 108, 8, h.uid());
        octalField(block, 116, 8, h.gid());
        octalField(block, 124, 12, contentless(h.type()) ? 0 : h.size());
        octalField(block, 136, 12, h.mtime());
        string(block, 265, 32, ascii(h.uname()));
        string(block, 297, 32, ascii(h.gname()));
        octalField(block, 329, 8, h.devMajor());
        octalField(block, 337, 8, h.devMinor());
    }

    /** Magic, version and checksum, as for USTAR and PAX headers. */
    private static void finishBlock(byte[] block) {
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, block, 257, 6);
        block[263] = '0';
        block[264] = '0';
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : block[i] & 0xff;
        }
        octalField(block, 148, 7, sum);
        block[155] = ' ';
    }

    private static boolean contentless(char type) {
        return type != '0';
    }

    /** Whether {@code s} fits its USTAR field; when not, a PAX record carries it. */
    private static boolean fits(String s, int size, String paxKey, Map<String, byte[]> pax, boolean splittable) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        boolean ok = isAscii(s) && bytes.length <= size;
        if (ok) {
            return true;
        }
        pax.put(paxKey, bytes);
        return splittable && splitUstarPath(s) != null;
    }

    private static boolean octal(long value, int size, String paxKey, Map<String, byte[]> pax) {
        if (value >= 0 && Long.toOctalString(value).length() <= size - 1) {
            return true;
        }
        pax.put(paxKey, Long.toString(value).getBytes(StandardCharsets.US_ASCII));
        return false;
    }

    /** USTAR's prefix and name for a long ASCII name, or null when it cannot be split. */
    static String[] splitUstarPath(String name) {
        int length = name.length();
        if (length <= NAME_SIZE || !isAscii(name)) {
            return null;
        } else if (length > PREFIX_SIZE + 1) {
            length = PREFIX_SIZE + 1;
        } else if (name.charAt(length - 1) == '/') {
            length--;
        }
        int i = name.substring(0, length).lastIndexOf('/');
        int nlen = name.length() - i - 1;
        if (i <= 0 || nlen > NAME_SIZE || nlen == 0 || i > PREFIX_SIZE) {
            return null;
        }
        return new String[] {name.substring(0, i), name.substring(i + 1)};
    }

    private static void octalField(byte[] block, int off, int len, long value) {
        String s = value < 0 ? "0" : Long.toOctalString(value);
        if (s.length() > len - 1) {
            s = "0"; // too large for octal: Go writes zero and the value goes in a PAX record
        }
        if (s.length() < len - 1) {
            s = "0".repeat(len - 1 - s.length()) + s;
        }
        string(block, off, len, s);
    }

    private static void string(byte[] block, int off, int len, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(bytes.length, len);
        System.arraycopy(bytes, 0, block, off, n);
        if (n < len) {
            block[off + n] = 0;
        }
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(String s) {
        if (isAscii(s)) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80 && c != 0) {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Go's path.Clean for the relative names used here: no doubled or trailing slashes. */
    private static String clean(String name) {
        String cleaned = name.replaceAll("/+", "/");
        return cleaned.endsWith("/") && cleaned.length() > 1 ? cleaned.substring(0, cleaned.length() - 1) : cleaned;
    }
}
