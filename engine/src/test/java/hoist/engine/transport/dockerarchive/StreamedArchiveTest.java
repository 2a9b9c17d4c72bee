package hoist.engine.transport.dockerarchive;

import hoist.engine.HoistException;
import hoist.engine.archive.InvalidArchiveException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.ManifestFormat;
import hoist.engine.image.MediaTypes;
import hoist.engine.transport.BlobInfo;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A docker archive read as a stream that can be opened again: two passes, layers in archive order. */
class StreamedArchiveTest {

    @TempDir
    Path temp;

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] config(Digest... diffIds) {
        StringBuilder ids = new StringBuilder();
        for (Digest id : diffIds) {
            ids.append(ids.length() == 0 ? "" : ",").append('"').append(id).append('"');
        }
        return ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + ids + "]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A tar of the given files in the given order; a value of type String is a symbolic link's target. */
    private static byte[] tar(Map<String, Object> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (Map.Entry<String, Object> file : files.entrySet()) {
                if (file.getValue() instanceof String target) {
                    TarArchiveEntry link = new TarArchiveEntry(file.getKey(), TarArchiveEntry.LF_SYMLINK);
                    link.setLinkName(target);
                    tar.putArchiveEntry(link);
                } else {
                    byte[] bytes = (byte[]) file.getValue();
                    TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                    entry.setSize(bytes.length);
                    tar.putArchiveEntry(entry);
                    tar.write(bytes);
                }
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private static StreamedArchive.Opener counting(byte[] archive, AtomicInteger opens) {
        return () -> {
            opens.incrementAndGet();
            return new ByteArrayInputStream(archive);
        };
    }

    private static byte[] read(StreamedArchive archive, Descriptor blob) throws IOException {
        try (InputStream in = archive.blob(blob.digest())) {
            return in.readAllBytes();
        }
    }

    @Test
    void layersStreamInArchiveOrderInOneSecondPassAfterTheMetadataPass() throws IOException {
        byte[] first = random(3000, 1);
        byte[] plainSecond = random(2500, 2);
        byte[] second = gzip(plainSecond);
        byte[] third = random(2000, 3);
        byte[] config = config(Digest.sha256(first), Digest.sha256(plainSecond), Digest.sha256(third), Digest.sha256(third));
        Digest configDigest = Digest.sha256(config);
        String manifestJson = "[{\"Config\":\"" + configDigest.hex() + ".json\",\"RepoTags\":[\"example.com/a/b:1\"],"
                + "\"Layers\":[\"3333/layer.tar\",\"4444/layer.tar\",\"1111/layer.tar\",\"5555/layer.tar\"]}]";
        Map<String, Object> files = new java.util.LinkedHashMap<>();
        files.put("1111/layer.tar", third);
        files.put("2222/json", "{}".getBytes(StandardCharsets.UTF_8));
        files.put("3333/layer.tar", first);
        files.put("4444/layer.tar", second);
        files.put("5555/layer.tar", "../1111/layer.tar");
        files.put(configDigest.hex() + ".json", config);
        files.put("manifest.json", manifestJson.getBytes(StandardCharsets.UTF_8));
        AtomicInteger opens = new AtomicInteger();

        StreamedArchive archive = StreamedArchive.read(counting(tar(files), opens), "test archive", null, 1000);

        ImageManifest manifest = archive.manifest();
        assertEquals(configDigest, manifest.config().digest());
        assertEquals(List.of(Digest.sha256(first), Digest.sha256(second), Digest.sha256(third), Digest.sha256(third)),
                manifest.layers().stream().map(Descriptor::digest).toList(), "uncompressed: the diff ID; compressed: hashed");
        assertEquals(List.of(MediaTypes.DOCKER_LAYER, MediaTypes.DOCKER_LAYER_GZIP, MediaTypes.DOCKER_LAYER, MediaTypes.DOCKER_LAYER),
                manifest.layers().stream().map(Descriptor::mediaType).toList());
        assertEquals(List.of(3000L, (long) second.length, 2000L, 2000L), manifest.layers().stream().map(Descriptor::size).toList());
        assertEquals(List.of("example.com/a/b:1"), archive.repoTags());
        assertEquals(List.of(2, 3, 0, 1), archive.layerReadOrder());
        assertEquals(2, opens.get(), "the metadata pass, and one to hash the compressed layer named by no digest");

        assertArrayEquals(config, read(archive, manifest.config()));
        assertArrayEquals(third, read(archive, manifest.layers().get(2)));
        assertArrayEquals(first, read(archive, manifest.layers().get(0)));
        assertArrayEquals(second, read(archive, manifest.layers().get(1)));
        assertEquals(3, opens.get(), "every layer in archive order: one more pass");

        assertArrayEquals(first, read(archive, manifest.layers().get(0)));
        assertEquals(4, opens.get(), "a layer asked for again: a pass of its own");
        archive.close();
    }

    @Test
    void smallLayersAreKeptFromTheFirstPass() throws IOException {
        byte[] layer = random(600, 4);
        byte[] config = config(Digest.sha256(layer));
        Digest configDigest = Digest.sha256(config);
        Map<String, Object> files = new java.util.LinkedHashMap<>();
        files.put("blobs/sha256/" + Digest.sha256(layer).hex(), layer);
        files.put("blobs/sha256/" + configDigest.hex(), config);
        files.put("manifest.json", ("[{\"Config\":\"blobs/sha256/" + configDigest.hex() + "\",\"RepoTags\":null,\"Layers\":[\"blobs/sha256/"
                + Digest.sha256(layer).hex() + "\"]}]").getBytes(StandardCharsets.UTF_8));
        AtomicInteger opens = new AtomicInteger();
        try (StreamedArchive archive = StreamedArchive.read(counting(tar(files), opens), "test archive", null, 1000)) {
            assertArrayEquals(layer, read(archive, archive.manifest().layers().get(0)));
            assertEquals(1, opens.get());
        }
    }

    @Test
    void anArchiveWithoutManifestJsonIsRefused() throws IOException {
        byte[] archive = tar(Map.of("something.json", "{}".getBytes(StandardCharsets.UTF_8)));
        InvalidArchiveException e = assertThrows(InvalidArchiveException.class,
                () -> StreamedArchive.read(counting(archive, new AtomicInteger()), "test archive", null));
        assertTrue(e.getMessage().contains("no manifest.json"), e.getMessage());
    }

    @Test
    void whatTheStreamWriterWritesReadsBackWithTheSameManifest() throws IOException {
        byte[] layer = random(5000, 5);
        byte[] compressed = gzip(random(4000, 6));
        byte[] config = config(Digest.sha256(layer), Digest.sha256(new java.util.zip.GZIPInputStream(
                new ByteArrayInputStream(compressed)).readAllBytes()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveStreamWriter writer = new ArchiveStreamWriter(out, temp);
        Descriptor first = writer.putBlob(new ByteArrayInputStream(layer),
                new BlobInfo(Digest.sha256(layer), layer.length, MediaTypes.DOCKER_LAYER, BlobInfo.Kind.LAYER));
        Descriptor second = writer.putBlob(new ByteArrayInputStream(compressed),
                BlobInfo.unknown(MediaTypes.DOCKER_LAYER_GZIP, BlobInfo.Kind.LAYER));
        assertEquals(Digest.sha256(compressed), second.digest(), "a blob of unknown size is measured on the way");
        Descriptor configBlob = writer.putBlob(new ByteArrayInputStream(config),
                new BlobInfo(Digest.sha256(config), config.length, MediaTypes.DOCKER_CONFIG, BlobInfo.Kind.CONFIG));
        ImageManifest written = ImageManifest.of(ManifestFormat.V2S2, configBlob, List.of(first, second), Map.of());
        writer.finish(written, List.of("example.com/x/y:2"));

        try (StreamedArchive archive = StreamedArchive.read(counting(out.toByteArray(), new AtomicInteger()), "written", null, 0)) {
            assertEquals(written.layers(), archive.manifest().layers());
            assertEquals(written.config(), archive.manifest().config());
            assertEquals(List.of("example.com/x/y:2"), archive.repoTags());
            assertArrayEquals(compressed, read(archive, second));
        }
        assertEquals(0, java.nio.file.Files.list(temp).count(), "the temporary file of the unknown-size blob is gone");
    }

    @Test
    void aBlobShorterThanItsDescriptorFailsTheWrite() {
        ArchiveStreamWriter writer = new ArchiveStreamWriter(new ByteArrayOutputStream(), temp);
        byte[] bytes = random(100, 7);
        HoistException e = assertThrows(HoistException.class, () -> writer.putBlob(new ByteArrayInputStream(bytes),
                new BlobInfo(Digest.sha256(bytes), 200, MediaTypes.DOCKER_LAYER, BlobInfo.Kind.LAYER)));
        assertTrue(e.getMessage().contains("ended after 100 of its 200 bytes"), e.getMessage());
    }
}
