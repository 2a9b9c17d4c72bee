package hoist.engine.archive.tarsplit;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TarSplitTest {

    @TempDir
    Path temp;

    @Test
    void crc64MatchesGosIsoTable() {
        Crc64 crc = new Crc64();
        byte[] hi = "hi\n".getBytes(StandardCharsets.US_ASCII);
        crc.update(hi, 0, hi.length);
        // the payload containers/storage recorded for a 3-byte file "hi\n" (base64 YUmYEAAAAAA=)
        assertArrayEquals(java.util.Base64.getDecoder().decode("YUmYEAAAAAA="), crc.bytes());
        Crc64 split = new Crc64();
        byte[] long1 = new byte[1000];
        new Random(1).nextBytes(long1);
        Crc64 whole = new Crc64();
        whole.update(long1, 0, long1.length);
        split.update(long1, 0, 13);
        split.update(long1, 13, long1.length - 13);
        assertEquals(whole.value(), split.value());
    }

    @Test
    void readsLinesAsTarSplitWritesThem() throws IOException {
        String lines = """
                {"type":2,"payload":"YWJj","position":0}
                {"type":1,"name":"etc/a","size":3,"payload":"YUmYEAAAAAA=","position":1}
                {"type":1,"name_raw":"/w==","payload":null,"position":2}
                """;
        try (TarSplitReader reader = new TarSplitReader(new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)), "t")) {
            TarSplitEntry segment = reader.next();
            assertEquals(TarSplitEntry.Type.SEGMENT, segment.type());
            assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), segment.payload());
            TarSplitEntry file = reader.next();
            assertEquals("etc/a", file.nameText());
            assertEquals(3, file.size());
            TarSplitEntry raw = reader.next();
            assertArrayEquals(new byte[]{(byte) 0xff}, raw.name());
            assertNull(raw.payload());
            assertNull(reader.next());
        }
    }

    @Test
    void recordedArchiveIsRebuiltByteForByteFromTheExtractedFiles() throws IOException {
        byte[] tar = sampleTar();
        Path root = temp.resolve("root");
        Files.createDirectories(root);
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        try (TarSplitWriter writer = new TarSplitWriter(lines)) {
            TarSplitRecorder.record(new ByteArrayInputStream(tar), writer, (header, content) -> extract(root, header, content));
        }
        String text = lines.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"type\":2,\"payload\":\""), text.substring(0, 40));
        assertTrue(text.lines().allMatch(l -> l.startsWith("{") && l.endsWith("}")));

        byte[] rebuilt;
        try (InputStream in = new TarAssembler(new TarSplitReader(new ByteArrayInputStream(lines.toByteArray()), "t"), root, "t")) {
            rebuilt = in.readAllBytes();
        }
        assertArrayEquals(tar, rebuilt);
    }

    @Test
    void aChangedFileFailsTheRebuild() throws IOException {
        byte[] tar = sampleTar();
        Path root = temp.resolve("root");
        Files.createDirectories(root);
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        try (TarSplitWriter writer = new TarSplitWriter(lines)) {
            TarSplitRecorder.record(new ByteArrayInputStream(tar), writer, (header, content) -> extract(root, header, content));
        }
        byte[] original = Files.readAllBytes(root.resolve("dir/data"));
        original[10] ^= 1;
        Files.write(root.resolve("dir/data"), original);
        TarSplitException e = assertThrows(TarSplitException.class, () -> {
            try (InputStream in = new TarAssembler(new TarSplitReader(new ByteArrayInputStream(lines.toByteArray()), "t"), root, "layer")) {
                in.readAllBytes();
            }
        });
        assertTrue(e.getMessage().contains("dir/data"), e.getMessage());

        Files.delete(root.resolve("dir/data"));
        assertThrows(TarSplitException.class, () -> {
            try (InputStream in = new TarAssembler(new TarSplitReader(new ByteArrayInputStream(lines.toByteArray()), "t"), root, "layer")) {
                in.readAllBytes();
            }
        });
    }

    /** A tar with a directory, files of several sizes, a long (PAX) name, a hard link, a symlink and an xattr. */
    private static byte[] sampleTar() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.putArchiveEntry(new TarArchiveEntry("dir/", TarArchiveEntry.LF_DIR));
            tar.closeArchiveEntry();
            byte[] data = new byte[100_000];
            new Random(3).nextBytes(data);
            file(tar, "dir/data", data, null);
            file(tar, "dir/" + "long-name-".repeat(20), "long\n".getBytes(StandardCharsets.UTF_8), null);
            file(tar, "dir/empty", new byte[0], null);
            file(tar, "dir/attr", "x\n".getBytes(StandardCharsets.UTF_8), "user.note");
            TarArchiveEntry link = new TarArchiveEntry("dir/hard", TarArchiveEntry.LF_LINK);
            link.setLinkName("dir/data");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            TarArchiveEntry sym = new TarArchiveEntry("dir/sym", TarArchiveEntry.LF_SYMLINK);
            sym.setLinkName("data");
            tar.putArchiveEntry(sym);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content, String xattr) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        if (xattr != null) {
            entry.addPaxHeader("SCHILY.xattr." + xattr, "v");
        }
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void extract(Path root, TarHeader header, InputStream content) throws IOException {
        Path target = root.resolve(header.nameText());
        switch (header.type()) {
            case TarHeader.DIRECTORY -> Files.createDirectories(target);
            case TarHeader.REGULAR -> {
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target)) {
                    content.transferTo(out);
                }
            }
            case TarHeader.HARD_LINK -> Files.createLink(target, root.resolve(header.linkName()));
            case TarHeader.SYMLINK -> Files.createSymbolicLink(target, Path.of(header.linkName()));
            default -> throw new AssertionError("unexpected entry " + header);
        }
        if (header.nameText().endsWith("attr")) {
            assertEquals(List.of("user.note"), new ArrayList<>(header.xattrs().keySet()));
        }
    }
}
