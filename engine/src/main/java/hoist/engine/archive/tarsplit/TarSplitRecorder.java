package hoist.engine.archive.tarsplit;

import hoist.engine.io.BulkInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a tar archive as a stream, hands each entry and its content to a {@link Handler} (which
 * extracts it), and records the tar-split lines that rebuild the same archive byte for byte from
 * what was extracted: every byte that is not file content (headers, PAX and GNU long-name
 * records, padding, the end blocks and anything after them) goes into segments.
 *
 * @see <a href="https://github.com/vbatts/tar-split/blob/main/tar/asm/disassemble.go">tar-split disassembly</a>
 */
public final class TarSplitRecorder {

    private static final int BLOCK = 512;

    /** Receives each entry; it may read {@code content} (exactly {@code header.size()} bytes) or leave it. */
    @FunctionalInterface
    public interface Handler {
        void entry(TarHeader header, InputStream content) throws IOException;
    }

    private TarSplitRecorder() {
    }

    /**
     * Reads {@code tar} to its end. {@code out} may be null to extract without recording.
     *
     * @throws TarSplitException when the archive is damaged or uses an unsupported entry type
     */
    public static void record(InputStream tar, TarSplitSink out, Handler handler) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        byte[] block = new byte[BLOCK];
        Map<String, byte[]> pax = new LinkedHashMap<>();
        byte[] longName = null;
        String longLink = null;
        while (true) {
            if (!readBlock(tar, block)) {
                break; // an archive without end blocks: what came is what there is
            }
            raw.write(block);
            if (isZero(block)) {
                if (readBlock(tar, block)) {
                    raw.write(block);
                }
                break;
            }
            if (!checksumOk(block)) {
                throw new TarSplitException("damaged tar header (bad checksum) after " + raw.size() + " bytes of headers");
            }
            char type = (char) (block[156] == 0 ? '0' : block[156]);
            long size = number(block, 124, 12);
            switch (type) {
                case 'x', 'g' -> {
                    byte[] data = readPadded(tar, size, raw);
                    if (type == 'x') {
                        parsePax(data, pax);
                    }
                    continue;
                }
                case 'L' -> {
                    longName = trimNul(readPadded(tar, size, raw));
                    continue;
                }
                case 'K' -> {
                    longLink = new String(trimNul(readPadded(tar, size, raw)), StandardCharsets.UTF_8);
                    continue;
                }
                case 'S' -> throw new TarSplitException("sparse tar entries are not supported");
                default -> {
                }
            }
            if (type == '7') {
                type = '0';
            }
            byte[] name = longName != null ? longName : ustarName(block);
            String link = longLink != null ? longLink : string(block, 157, 100);
            Map<String, byte[]> xattrs = new LinkedHashMap<>();
            long uid = number(block, 108, 8);
            long gid = number(block, 116, 8);
            long mtime = number(block, 136, 12);
            Instant modTime = Instant.ofEpochSecond(mtime);
            Instant accessTime = gnuTime(block, 345);
            Instant changeTime = gnuTime(block, 357);
            for (Map.Entry<String, byte[]> record : pax.entrySet()) {
                String key = record.getKey();
                String value = new String(record.getValue(), StandardCharsets.UTF_8);
                switch (key) {
                    case "path" -> name = record.getValue();
                    case "linkpath" -> link = value;
                    case "size" -> size = Long.parseLong(value);
                    case "uid" -> uid = Long.parseLong(value);
                    case "gid" -> gid = Long.parseLong(value);
                    case "mtime" -> {
                        modTime = paxTime(value);
                        mtime = modTime.getEpochSecond();
                    }
                    case "atime" -> accessTime = paxTime(value);
                    case "ctime" -> changeTime = paxTime(value);
                    default -> {
                        if (key.startsWith("SCHILY.xattr.")) {
                            xattrs.put(key.substring("SCHILY.xattr.".length()), record.getValue());
                        }
                    }
                }
            }
            pax.clear();
            longName = null;
            longLink = null;
            boolean content = type == '0';
            long contentSize = content ? size : 0;
            TarHeader header = new TarHeader(name, type, (int) number(block, 100, 8), uid, gid, contentSize, mtime, link,
                    number(block, 329, 8), number(block, 337, 8), xattrs, modTime, accessTime, changeTime);
            if (out != null) {
                out.segment(raw.toByteArray());
            }
            raw.reset();
            ContentStream body = new ContentStream(tar, contentSize);
            handler.entry(header, body);
            body.drain();
            if (out != null) {
                out.file(name, contentSize, contentSize > 0 ? body.crc.bytes() : null);
            }
            int padding = (int) ((BLOCK - contentSize % BLOCK) % BLOCK);
            if (padding > 0) {
                byte[] pad = tar.readNBytes(padding);
                raw.write(pad);
                if (pad.length < padding) {
                    throw new TarSplitException("tar archive ends inside the padding of " + header.nameText());
                }
            }
        }
        if (out != null) {
            out.segment(raw.toByteArray());
            out.segment(tar.readAllBytes());
        } else {
            tar.transferTo(OutputStreamNull.INSTANCE);
        }
    }

    /** A GNU-format header's access or change time field at {@code off}; null in other formats or when empty. */
    private static Instant gnuTime(byte[] block, int off) throws TarSplitException {
        boolean gnu = block[257] == 'u' && block[258] == 's' && block[259] == 't' && block[260] == 'a' && block[261] == 'r'
                && block[262] == ' ' && block[263] == ' ' && block[264] == 0;
        return gnu && block[off] != 0 ? Instant.ofEpochSecond(number(block, off, 12)) : null;
    }

    /** A PAX time: decimal seconds since the epoch, maybe negative, maybe with a fraction. */
    static Instant paxTime(String value) throws TarSplitException {
        try {
            java.math.BigDecimal seconds = new java.math.BigDecimal(value.trim());
            java.math.BigDecimal whole = seconds.setScale(0, java.math.RoundingMode.FLOOR);
            long nanos = seconds.subtract(whole).movePointRight(9).setScale(0, java.math.RoundingMode.DOWN).longValueExact();
            return Instant.ofEpochSecond(whole.longValueExact(), nanos);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TarSplitException("damaged PAX time \"" + value + "\"");
        }
    }

    private static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    /** Reads a whole block; false at a clean end of input, an error for a partial block. */
    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new TarSplitException("tar archive ends inside a header");
        }
        return true;
    }

    private static byte[] readPadded(InputStream in, long size, ByteArrayOutputStream raw) throws IOException {
        if (size > 64L * 1024 * 1024) {
            throw new TarSplitException("tar extended header of " + size + " bytes is too large");
        }
        long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
        byte[] all = in.readNBytes((int) padded);
        if (all.length < padded) {
            throw new TarSplitException("tar archive ends inside an extended header");
        }
        raw.write(all);
        return Arrays.copyOf(all, (int) size);
    }

    private static void parsePax(byte[] data, Map<String, byte[]> into) throws TarSplitException {
        int i = 0;
        while (i < data.length) {
            int space = i;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new TarSplitException("damaged PAX extended header");
            }
            int end = i + length;
            if (length <= 0 || end > data.length) {
                throw new TarSplitException("damaged PAX extended header");
            }
            int eq = space + 1;
            while (eq < end && data[eq] != '=') {
                eq++;
            }
            String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
            into.put(key, Arrays.copyOfRange(data, eq + 1, end - 1));
            i = end;
        }
    }

    private static byte[] ustarName(byte[] block) {
        byte[] name = trimNul(Arrays.copyOfRange(block, 0, 100));
        boolean ustar = block[257] == 'u' && block[258] == 's' && block[259] == 't' && block[260] == 'a' && block[261] == 'r'
                && block[262] == 0;
        if (ustar && block[345] != 0) {
            byte[] prefix = trimNul(Arrays.copyOfRange(block, 345, 500));
            byte[] joined = new byte[prefix.length + 1 + name.length];
            System.arraycopy(prefix, 0, joined, 0, prefix.length);
            joined[prefix.length] = '/';
            System.arraycopy(name, 0, joined, prefix.length + 1, name.length);
            return joined;
        }
        return name;
    }

    private static byte[] trimNul(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return n == bytes.length ? bytes : Arrays.copyOf(bytes, n);
    }

    private static String string(byte[] block, int off, int len) {
        return new String(trimNul(Arrays.copyOfRange(block, off, off + len)), StandardCharsets.UTF_8);
    }

    /** An octal field (spaces and NULs around it), or a base-256 one (high bit of the first byte set). */
    static long number(byte[] block, int off, int len) throws TarSplitException {
        if ((block[off] & 0x80) != 0) {
            long v = block[off] & 0x7f;
            for (int i = off + 1; i < off + len; i++) {
                v = (v << 8) | (block[i] & 0xff);
            }
            return v;
        }
        long v = 0;
        int i = off;
        int end = off + len;
        while (i < end && (block[i] == ' ' || block[i] == 0)) {
            i++;
        }
        for (; i < end && block[i] != 0 && block[i] != ' '; i++) {
            if (block[i] < '0' || block[i] > '7') {
                throw new TarSplitException("damaged tar header: bad number field");
            }
            v = v * 8 + (block[i] - '0');
        }
        return v;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean checksumOk(byte[] block) throws TarSplitException {
        long recorded = number(block, 148, 8);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : block[i];
            unsigned += b & 0xff;
            signed += b;
        }
        return recorded == unsigned || recorded == signed;
    }

    /** An entry's content: exactly its size, checksummed as it is read. */
    private static final class ContentStream extends BulkInputStream {
        private final InputStream in;
        private long remaining;
        final Crc64 crc = new Crc64();

        ContentStream(InputStream in, long size) {
            this.in = in;
            this.remaining = size;
        }


        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new TarSplitException("tar archive ends inside an entry's content");
            }
            crc.update(b, off, n);
            remaining -= n;
            return n;
        }

        void drain() throws IOException {
            byte[] buffer = new byte[65536];
            while (read(buffer, 0, buffer.length) >= 0) {
                // the handler left the rest; it still counts for the checksum
            }
        }

        @Override
        public void close() {
            // the archive stream stays open for the next entry
        }
    }
}
