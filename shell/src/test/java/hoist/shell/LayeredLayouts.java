package hoist.shell;

import hoist.engine.image.Digest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * OCI layouts of one image ({@code oci:DIR:t}) with several gzip layers of chosen sizes, each a
 * directory {@code /layerN} holding a file of random bytes and a small text file: a pull of it
 * has several blobs in flight at once, finishing at different times. The layers depend on the
 * seed only, the config also on the image's name: two names, one seed make two images sharing
 * every layer.
 */
final class LayeredLayouts {

    private LayeredLayouts() {
    }

    /** Writes the image to {@code dir}, one layer per entry of {@code kilobytes}; returns {@code oci:DIR:t}. */
    static String write(Path dir, long seed, int... kilobytes) throws IOException {
        return write(dir, "t", seed, kilobytes);
    }

    /** As {@link #write(Path, long, int...)}, the image named {@code ref} in the layout; returns {@code oci:DIR:REF}. */
    static String write(Path dir, String ref, long seed, int... kilobytes) throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Random random = new Random(seed);
        List<String> diffIds = new ArrayList<>();
        StringBuilder layers = new StringBuilder();
        for (int i = 0; i < kilobytes.length; i++) {
            byte[] tar = tar(i, kilobytes[i], random);
            byte[] gzip = gzip(tar);
            diffIds.add("\"" + Digest.sha256(tar) + "\"");
            layers.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"")
                    .append(blob(dir, gzip)).append("\",\"size\":").append(gzip.length).append('}');
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"SEED=" + seed + "\"],\"Labels\":{\"ref\":\"" + ref + "\"}},"
                + "\"created\":\"2024-01-01T00:00:00Z\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + String.join(",", diffIds)
                + "]}}").getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + blob(dir, config)
                + "\",\"size\":" + config.length + "},\"layers\":[" + layers + "]}").getBytes(StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + blob(dir, manifest) + "\",\"size\":"
                + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + ref + "\"}}]}");
        return "oci:" + dir + ":" + ref;
    }

    private static Digest blob(Path dir, byte[] bytes) throws IOException {
        Digest digest = Digest.sha256(bytes);
        Files.write(dir.resolve("blobs/sha256").resolve(digest.hex()), bytes);
        return digest;
    }

    private static byte[] tar(int index, int kilobytes, Random random) throws IOException {
        byte[] data = new byte[kilobytes * 1024];
        random.nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry dirEntry = new TarArchiveEntry("layer" + index + "/");
            dirEntry.setModTime(0);
            tar.putArchiveEntry(dirEntry);
            tar.closeArchiveEntry();
            put(tar, "layer" + index + "/data.bin", data);
            put(tar, "layer" + index + "/note.txt", ("layer " + index + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(data.length);
        entry.setModTime(0);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }
}
