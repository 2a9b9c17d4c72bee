package hoist.engine.compress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import hoist.engine.archive.tarsplit.TarSplitEntry;
import hoist.engine.archive.tarsplit.TarSplitReader;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZstdChunkedTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void blobReadsAsZstdAndItsTableOfContentsLocatesEveryFileAndChunk() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Random random = new Random(7);
        byte[] big = new byte[700_000];
        random.nextBytes(big);
        files.put("usr/lib/big.bin", big);
        byte[] holes = new byte[20_000];
        random.nextBytes(holes);
        Arrays.fill(holes, 5_000, 12_000, (byte) 0); // a run of zeros: a chunk of its own
        Arrays.fill(holes, 15_000, 15_500, (byte) 0); // too short to be one
        files.put("usr/lib/holes.bin", holes);
        files.put("etc/empty", new byte[0]);
        files.put("etc/" + "long-name-".repeat(15) + "end.txt", "long".getBytes(StandardCharsets.UTF_8));
        files.put("etc/motd", "hello\n".getBytes(StandardCharsets.UTF_8));
        byte[] tar = tar(files);

        ZstdChunkedInputStream in = (ZstdChunkedInputStream) Compression.ZSTD_CHUNKED.compressing(new ByteArrayInputStream(tar), null);
        byte[] blob = in.readAllBytes();
        Map<String, String> annotations = in.annotations();
        assertEquals(Compression.ZSTD, Compression.detect(blob, blob.length));
        try (InputStream back = Compression.ZSTD_CHUNKED.decompress(new ByteArrayInputStream(blob))) {
            assertArrayEquals(tar, back.readAllBytes(), "any zstd reader gets the tar back");
        }

        // the TOC where the annotation says, with the checksum it gives
        long[] toc = positions(annotations.get(ZstdChunked.MANIFEST_POSITION));
        assertEquals(4, toc.length);
        assertEquals(1, toc[3]);
        byte[] tocCompressed = Arrays.copyOfRange(blob, (int) toc[0], (int) (toc[0] + toc[1]));
        assertEquals(annotations.get(ZstdChunked.MANIFEST_CHECKSUM), sha256(tocCompressed));
        byte[] tocJson = unzstd(tocCompressed);
        assertEquals(toc[2], tocJson.length);
        JsonNode manifest = JSON.readTree(tocJson);
        assertEquals(1, manifest.get("version").asInt());

        // the tar-split, whose digest the TOC gives, rebuilds the archive's non-file bytes
        long[] split = positions(annotations.get(ZstdChunked.TARSPLIT_POSITION));
        byte[] splitCompressed = Arrays.copyOfRange(blob, (int) split[0], (int) (split[0] + split[1]));
        assertEquals(manifest.get("tarSplitDigest").asText(), sha256(splitCompressed));
        byte[] splitLines = unzstd(splitCompressed);
        assertEquals(split[2], splitLines.length);
        long total = 0;
        try (TarSplitReader reader = new TarSplitReader(new ByteArrayInputStream(splitLines), "test")) {
            for (TarSplitEntry e; (e = reader.next()) != null; ) {
                total += e.type() == TarSplitEntry.Type.SEGMENT ? e.payload().length : e.size();
            }
        }
        assertEquals(tar.length, total);

        // the footer: a skippable frame at the very end
        ByteBuffer footer = ByteBuffer.wrap(blob, blob.length - 64, 64).order(ByteOrder.LITTLE_ENDIAN);
        assertArrayEquals(new byte[] {0x50, 0x2a, 0x4d, 0x18, 64, 0, 0, 0}, Arrays.copyOfRange(blob, blob.length - 72, blob.length - 64));
        assertEquals(toc[0], footer.getLong());
        assertEquals(toc[1], footer.getLong());
        assertEquals(toc[2], footer.getLong());
        assertEquals(1, footer.getLong());
        assertEquals(split[0], footer.getLong());
        assertEquals(split[1], footer.getLong());
        assertEquals(split[2], footer.getLong());
        assertArrayEquals("GNUlInUx".getBytes(StandardCharsets.US_ASCII), Arrays.copyOfRange(blob, blob.length - 8, blob.length));

        // every file's content and every chunk decode from their own frames
        JsonNode entries = manifest.get("entries");
        List<String> names = new ArrayList<>();
        int zerosChunks = 0;
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            if (!e.get("type").asText().equals("reg")) {
                continue;
            }
            String name = e.get("name").asText();
            byte[] content = files.get(name);
            if (content == null) {
                continue; // etc/noted, which has only attributes
            }
            names.add(name);
            assertEquals(content.length, e.path("size").asLong(0), name);
            if (content.length == 0) {
                assertTrue(e.path("digest").isMissingNode(), "an empty file has no digest");
                continue;
            }
            assertEquals(sha256(content), e.get("digest").asText(), name);
            byte[] frames = Arrays.copyOfRange(blob, e.get("offset").asInt(), e.get("endOffset").asInt());
            assertArrayEquals(content, unzstd(frames), name);
            if (e.has("chunkSize")) {
                List<JsonNode> chunks = new ArrayList<>(List.of(e));
                while (i + 1 < entries.size() && entries.get(i + 1).get("type").asText().equals("chunk")) {
                    chunks.add(entries.get(++i));
                }
                long covered = 0;
                for (int c = 0; c < chunks.size(); c++) {
                    JsonNode chunk = chunks.get(c);
                    long start = chunk.get("offset").asLong();
                    long end = c + 1 < chunks.size() ? chunks.get(c + 1).get("offset").asLong() : e.get("endOffset").asLong();
                    byte[] plain = unzstd(Arrays.copyOfRange(blob, (int) start, (int) end));
                    assertEquals(covered, chunk.path("chunkOffset").asLong(0), name);
                    assertEquals(chunk.get("chunkSize").asLong(), plain.length, name);
                    assertEquals(chunk.get("chunkDigest").asText(), sha256(plain), name);
                    assertArrayEquals(Arrays.copyOfRange(content, (int) covered, (int) covered + plain.length), plain, name);
                    if (chunk.path("chunkType").asText("").equals("zeros")) {
                        zerosChunks++;
                        assertTrue(plain.length >= 1024);
                    }
                    covered += plain.length;
                }
                assertEquals(content.length, covered, name);
            }
        }
        assertEquals(List.copyOf(files.keySet()), names);
        assertEquals(1, zerosChunks, "the long run of zeros and only it");
        assertTrue(entries.findValues("chunkSize").size() > 5, "the large file is cut into chunks");
        JsonNode link = entries.findParents("linkName").get(0);
        assertEquals("symlink", link.get("type").asText());
        JsonNode xattr = entries.findParents("xattrs").get(0);
        assertEquals("dmFsdWU=", xattr.get("xattrs").get("user.note").asText());
        assertEquals("2023-11-14T22:13:20.500Z", xattr.get("modtime").asText());
    }

    @Test
    void annotationsOfOtherBlobsAreDropped() {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("org.example", "kept");
        annotations.put(ZstdChunked.MANIFEST_CHECKSUM, "sha256:00");
        annotations.put("io.github.containers.zstd-chunked.tarsplit-checksum", "sha256:00");
        assertEquals(Map.of("org.example", "kept"), ZstdChunked.withoutAnnotations(annotations));
    }

    @Test
    void aStreamThatIsNotATarIsAnErrorForTheReader() {
        byte[] junk = new byte[4096];
        new Random(3).nextBytes(junk);
        IOException e = assertThrows(IOException.class,
                () -> Compression.ZSTD_CHUNKED.compressing(new ByteArrayInputStream(junk), null).readAllBytes());
        assertTrue(e.getMessage().contains("tar"), e.getMessage());
    }

    static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX); // times with a fraction go in PAX records
            TarArchiveEntry dir = new TarArchiveEntry("etc/");
            dir.setModTime(new Date(1_700_000_000_000L));
            tar.putArchiveEntry(dir);
            tar.closeArchiveEntry();
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(f.getValue().length);
                e.setMode(0100644);
                e.setModTime(new Date(1_700_000_000_000L));
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
            TarArchiveEntry link = new TarArchiveEntry("etc/link", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("motd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            TarArchiveEntry x = new TarArchiveEntry("etc/noted");
            x.addPaxHeader("SCHILY.xattr.user.note", "value");
            x.setLastModifiedTime(java.nio.file.attribute.FileTime.from(java.time.Instant.ofEpochSecond(1_700_000_000L, 500_000_000)));
            tar.putArchiveEntry(x);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    private static long[] positions(String text) {
        return Arrays.stream(text.split(":")).mapToLong(Long::parseLong).toArray();
    }

    private static byte[] unzstd(byte[] frames) throws IOException {
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(frames))) {
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
