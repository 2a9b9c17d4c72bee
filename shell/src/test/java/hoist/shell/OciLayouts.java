package hoist.shell;

import com.github.luben.zstd.ZstdOutputStream;
import hoist.engine.image.Digest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Small OCI layouts written by the tests: one image ({@code oci:DIR:t}) of one layer of random
 * bytes, compressed as asked, with a config whose history has an empty layer.
 */
final class OciLayouts {

    private OciLayouts() {
    }

    /** Writes the image to {@code dir} with its layer in {@code compression} (none, gzip, zstd); returns {@code oci:DIR:t}. */
    static String write(Path dir, String compression, long seed) throws IOException {
        byte[] tar = tar(seed);
        byte[] layer = switch (compression) {
            case "none" -> tar;
            case "gzip" -> compress(tar, GZIPOutputStream::new);
            case "zstd" -> compress(tar, ZstdOutputStream::new);
            default -> throw new IllegalArgumentException(compression);
        };
        String layerType = "application/vnd.oci.image.layer.v1.tar" + switch (compression) {
            case "none" -> "";
            case "gzip" -> "+gzip";
            default -> "+zstd";
        };
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"A=b\"]},"
                + "\"created\":\"2024-01-01T00:00:00Z\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digest.sha256(tar) + "\"]},"
                + "\"history\":[{\"created\":\"2024-01-01T00:00:00Z\",\"created_by\":\"ADD a /\"},"
                + "{\"created\":\"2024-01-01T00:00:01Z\",\"created_by\":\"ENV A=b\",\"empty_layer\":true}]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + blob(dir, config)
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"" + layerType + "\",\"digest\":\""
                + blob(dir, layer) + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + blob(dir, manifest) + "\",\"size\":"
                + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"t\"}}]}");
        return "oci:" + dir + ":t";
    }

    /** The uncompressed layer's digest: what the config's diff ID must be after any copy. */
    static Digest diffId(long seed) throws IOException {
        return Digest.sha256(tar(seed));
    }

    private static Digest blob(Path dir, byte[] bytes) throws IOException {
        Digest digest = Digest.sha256(bytes);
        Files.write(dir.resolve("blobs/sha256").resolve(digest.hex()), bytes);
        return digest;
    }

    private static byte[] tar(long seed) throws IOException {
        byte[] data = new byte[64 * 1024];
        new Random(seed).nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry entry = new TarArchiveEntry("data/random.bin");
            entry.setSize(data.length);
            entry.setModTime(0);
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    private interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private static byte[] compress(byte[] bytes, Compressor compressor) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream c = compressor.wrap(out)) {
            c.write(bytes);
        }
        return out.toByteArray();
    }
}
