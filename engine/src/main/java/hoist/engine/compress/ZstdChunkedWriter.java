package hoist.engine.compress;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.github.luben.zstd.ZstdOutputStream;
import hoist.engine.archive.tarsplit.TarHeader;
import hoist.engine.archive.tarsplit.TarSplitException;
import hoist.engine.archive.tarsplit.TarSplitRecorder;
import hoist.engine.archive.tarsplit.TarSplitSink;
import hoist.engine.archive.tarsplit.TarSplitWriter;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compresses a tar stream into a zstd:chunked blob (see {@link ZstdChunked}) in one pass: headers
 * and padding go into frames between the files, each regular file's content into frames of its
 * own, cut into chunks where a rolling checksum of the content says so (the same bup-style sum
 * and 16-bit split rule containers/storage uses, so chunks match theirs) and around runs of at
 * least 1024 zero bytes ("zeros" chunks). The TOC and the tar-split are built while the content
 * streams, kept compressed in {@link SpillBuffer}s (memory, then a temporary file), and appended at
 * the end with the footer. Memory stays bounded whatever the layer's size or number of files.
 *
 * @see <a href="https://github.com/containers/storage/blob/main/pkg/chunked/compressor/compressor.go">containers/storage: zstd:chunked compressor</a>
 */
final class ZstdChunkedWriter {

    /** A run of zeros at least this long is a chunk of its own. */
    static final int HOLE_THRESHOLD = 1024;
    /** A chunk ends where the low 16 bits of the rolling sum are all set. */
    static final int SPLIT_MASK = (1 << 16) - 1;
    private static final int SPILL_LIMIT = 8 << 20;
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] ZEROS = new byte[64 * 1024];

    private ZstdChunkedWriter() {
    }

    /**
     * Reads {@code tar} to its end and writes it to {@code out} as a zstd:chunked blob at zstd
     * {@code level}. Returns the layer annotations that describe the blob
     * ({@link ZstdChunked#MANIFEST_CHECKSUM}, {@link ZstdChunked#MANIFEST_POSITION},
     * {@link ZstdChunked#TARSPLIT_POSITION}). Neither stream is closed.
     *
     * @throws TarSplitException when {@code tar} is not a tar archive this format can describe
     *                           (damaged, sparse, or an entry type other than file, link, directory,
     *                           device or FIFO)
     */
    static Map<String, String> write(InputStream tar, OutputStream out, int level) throws IOException {
        try (FrameWriter frames = new FrameWriter(out, level);
             SpillBuffer toc = new SpillBuffer(SPILL_LIMIT);
             SpillBuffer tarSplit = new SpillBuffer(SPILL_LIMIT)) {
            Counting tocPlain = new Counting(new ZstdOutputStream(new Unclosed(toc), level));
            JsonGenerator json = JSON.createGenerator(tocPlain);
            json.writeStartObject();
            json.writeNumberField("version", 1);
            json.writeArrayFieldStart("entries");
            Counting splitPlain = new Counting(new ZstdOutputStream(new Unclosed(tarSplit), level));
            Sink sink = new Sink(frames, new TarSplitWriter(splitPlain), json);
            TarSplitRecorder.record(tar, sink, sink::entry);
            frames.endFrame();
            sink.split.close();
            json.writeEndArray();
            json.writeStringField("tarSplitDigest", tarSplit.digest());
            json.writeEndObject();
            json.close();
            tocPlain.close();

            long tocOffset = frames.offset() + 8;
            skippable(frames, toc);
            long splitOffset = frames.offset() + 8;
            skippable(frames, tarSplit);
            ByteBuffer footer = ByteBuffer.allocate(ZstdChunked.FOOTER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            footer.putLong(tocOffset).putLong(toc.count()).putLong(tocPlain.count).putLong(ZstdChunked.MANIFEST_TYPE_CRFS)
                    .putLong(splitOffset).putLong(tarSplit.count()).putLong(splitPlain.count).put(ZstdChunked.FOOTER_MAGIC);
            frames.writeRaw(skippableHeader(ZstdChunked.FOOTER_SIZE));
            frames.writeRaw(footer.array());

            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put(ZstdChunked.MANIFEST_CHECKSUM, toc.digest());
            annotations.put(ZstdChunked.MANIFEST_POSITION,
                    tocOffset + ":" + toc.count() + ":" + tocPlain.count + ":" + ZstdChunked.MANIFEST_TYPE_CRFS);
            annotations.put(ZstdChunked.TARSPLIT_POSITION, splitOffset + ":" + tarSplit.count() + ":" + splitPlain.count);
            annotations.put(ZstdChunked.LEGACY_MANIFEST_CHECKSUM, annotations.get(ZstdChunked.MANIFEST_CHECKSUM));
            annotations.put(ZstdChunked.LEGACY_MANIFEST_POSITION, annotations.get(ZstdChunked.MANIFEST_POSITION));
            return annotations;
        }
    }

    private static void skippable(FrameWriter frames, SpillBuffer data) throws IOException {
        if (data.count() > 0xffffffffL) {
            throw new IOException("zstd:chunked metadata of " + data.count() + " bytes does not fit a skippable frame");
        }
        frames.writeRaw(skippableHeader((int) data.count()));
        OutputStream raw = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                frames.writeRaw(new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                frames.writeRaw(java.util.Arrays.copyOfRange(b, off, off + len));
            }
        };
        data.copyTo(raw);
    }

    private static byte[] skippableHeader(int size) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).put(ZstdChunked.SKIPPABLE_MAGIC).putInt(size).array();
    }

    /** One chunk of a file's content. */
    private record Chunk(long fileOffset, long blobOffset, long size, String digest, boolean zeros) {
    }

    /** Receives the archive from the recorder: raw bytes into frames and tar-split, entries into the TOC. */
    private static final class Sink implements TarSplitSink {
        final FrameWriter frames;
        final TarSplitWriter split;
        final JsonGenerator toc;
        final byte[] buffer = new byte[64 * 1024];
        final MessageDigest fileDigest = sha256();
        final MessageDigest chunkDigest = sha256();
        final List<Chunk> chunks = new ArrayList<>();
        final int[] window = new int[64];
        int windowOffset;
        int s1;
        int s2;
        long fileStart;
        long written;
        long chunkStart;
        long chunkBlobOffset;
        long zeroRun;

        Sink(FrameWriter frames, TarSplitWriter split, JsonGenerator toc) {
            this.frames = frames;
            this.split = split;
            this.toc = toc;
        }

        @Override
        public void segment(byte[] bytes) throws IOException {
            split.segment(bytes);
            frames.write(bytes, 0, bytes.length);
        }

        @Override
        public void file(byte[] name, long size, byte[] checksum) throws IOException {
            split.file(name, size, checksum);
        }

        void entry(TarHeader header, InputStream content) throws IOException {
            String type = switch (header.type()) {
                case TarHeader.REGULAR -> "reg";
                case TarHeader.HARD_LINK -> "hardlink";
                case TarHeader.SYMLINK -> "symlink";
                case TarHeader.CHAR_DEVICE -> "char";
                case TarHeader.BLOCK_DEVICE -> "block";
                case TarHeader.DIRECTORY -> "dir";
                case TarHeader.FIFO -> "fifo";
                default -> throw new TarSplitException("tar entry " + header.nameText() + " has type '" + header.type()
                        + "', which zstd:chunked cannot describe");
            };
            startFile();
            if (header.hasContent()) {
                for (int n; (n = content.read(buffer)) >= 0; ) {
                    scan(buffer, n);
                }
                flushZeros();
                endChunk(false);
            }
            writeEntries(header, type);
        }

        private void startFile() {
            fileStart = 0;
            written = 0;
            chunkStart = 0;
            zeroRun = 0;
            chunks.clear();
            fileDigest.reset();
            chunkDigest.reset();
            java.util.Arrays.fill(window, 0);
            windowOffset = 0;
            s1 = 64 * 31;
            s2 = 64 * 63 * 31;
        }

        /** Splits content into runs of zeros (held back until their length is known) and other bytes. */
        private void scan(byte[] b, int n) throws IOException {
            int i = 0;
            while (i < n) {
                int j = i;
                if (b[i] == 0) {
                    while (j < n && b[j] == 0) {
                        j++;
                    }
                    zeroRun += j - i;
                } else {
                    flushZeros();
                    while (j < n && b[j] != 0) {
                        j++;
                    }
                    data(b, i, j);
                }
                i = j;
            }
        }

        /** Held-back zeros: a chunk of their own when the run is long, ordinary content otherwise. */
        private void flushZeros() throws IOException {
            long run = zeroRun;
            zeroRun = 0;
            if (run >= HOLE_THRESHOLD) {
                endChunk(false);
                for (long k = 0; k < Math.min(run, 64); k++) {
                    roll(0);
                }
                for (long left = run; left > 0; ) {
                    int n = (int) Math.min(left, ZEROS.length);
                    emit(ZEROS, 0, n);
                    left -= n;
                }
                endChunk(true);
            } else {
                for (long left = run; left > 0; ) {
                    int n = (int) Math.min(left, ZEROS.length);
                    data(ZEROS, 0, n);
                    left -= n;
                }
            }
        }

        /** Content bytes that go through the rolling sum; a chunk ends after the byte where it splits. */
        private void data(byte[] b, int from, int to) throws IOException {
            int start = from;
            for (int k = from; k < to; k++) {
                if (roll(b[k] & 0xff)) {
                    emit(b, start, k + 1);
                    endChunk(false);
                    start = k + 1;
                }
            }
            emit(b, start, to);
        }

        /** Adds a byte to the rolling sum; whether the sum says to split after it. */
        private boolean roll(int add) {
            int drop = window[windowOffset];
            s1 += add - drop;
            s2 += s1 - 64 * (drop + 31);
            window[windowOffset] = add;
            windowOffset = (windowOffset + 1) & 63;
            return (s2 & SPLIT_MASK) == SPLIT_MASK;
        }

        /** Writes content into the current chunk's frame; the first byte of a file starts a new frame. */
        private void emit(byte[] b, int from, int to) throws IOException {
            int n = to - from;
            if (n <= 0) {
                return;
            }
            if (written == 0) {
                frames.endFrame();
                fileStart = frames.offset();
                chunkBlobOffset = fileStart;
            }
            frames.write(b, from, n);
            fileDigest.update(b, from, n);
            chunkDigest.update(b, from, n);
            written += n;
        }

        private void endChunk(boolean zeros) throws IOException {
            long size = written - chunkStart;
            if (size <= 0) {
                return;
            }
            frames.endFrame();
            chunks.add(new Chunk(chunkStart, chunkBlobOffset, size, digest(chunkDigest), zeros));
            chunkStart = written;
            chunkBlobOffset = frames.offset();
        }

        private void writeEntries(TarHeader header, String type) throws IOException {
            String name = header.nameText();
            boolean chunked = chunks.size() > 1;
            toc.writeStartObject();
            toc.writeStringField("type", type);
            toc.writeStringField("name", name);
            if (!header.linkName().isEmpty()) {
                toc.writeStringField("linkName", header.linkName());
            }
            nonZero("mode", header.mode());
            nonZero("size", header.size());
            nonZero("uid", header.uid());
            nonZero("gid", header.gid());
            toc.writeStringField("modtime", time(header.modTime()));
            if (header.accessTime() != null) {
                toc.writeStringField("accesstime", time(header.accessTime()));
            }
            if (header.changeTime() != null) {
                toc.writeStringField("changetime", time(header.changeTime()));
            }
            nonZero("devMajor", header.devMajor());
            nonZero("devMinor", header.devMinor());
            if (!header.xattrs().isEmpty()) {
                toc.writeObjectFieldStart("xattrs");
                for (Map.Entry<String, byte[]> x : new TreeMap<>(header.xattrs()).entrySet()) {
                    toc.writeStringField(x.getKey(), Base64.getEncoder().encodeToString(x.getValue()));
                }
                toc.writeEndObject();
            }
            if (written > 0) {
                toc.writeStringField("digest", digest(fileDigest));
                toc.writeNumberField("offset", fileStart);
                toc.writeNumberField("endOffset", frames.offset());
            }
            if (chunked) {
                chunkFields(chunks.get(0));
            }
            toc.writeEndObject();
            for (int i = 1; chunked && i < chunks.size(); i++) {
                Chunk c = chunks.get(i);
                toc.writeStartObject();
                toc.writeStringField("type", "chunk");
                toc.writeStringField("name", name);
                toc.writeNumberField("offset", c.blobOffset());
                chunkFields(c);
                toc.writeEndObject();
            }
        }

        private void chunkFields(Chunk c) throws IOException {
            toc.writeNumberField("chunkSize", c.size());
            nonZero("chunkOffset", c.fileOffset());
            toc.writeStringField("chunkDigest", c.digest());
            if (c.zeros()) {
                toc.writeStringField("chunkType", "zeros");
            }
        }

        private void nonZero(String field, long value) throws IOException {
            if (value != 0) {
                toc.writeNumberField(field, value);
            }
        }
    }

    /** RFC 3339 in UTC, with as many fraction digits as needed: what Go's time parsing reads back exactly. */
    private static String time(Instant instant) {
        return instant.toString();
    }

    private static String digest(MessageDigest md) {
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts the bytes written through it. */
    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** Passes writes on but never closes its target (a zstd stream's close must not close the buffer). */
    private static final class Unclosed extends FilterOutputStream {
        Unclosed(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
