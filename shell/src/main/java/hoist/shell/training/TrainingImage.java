package hoist.shell.training;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * A one-layer image in an OCI layout, written with the JDK alone (the training must not depend on
 * the code it trains): one gzip layer holding one file, an OCI config and manifest, and an index
 * naming the manifest {@link #TAG}.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">OCI image layout</a>
 */
final class TrainingImage {

    /** The {@code org.opencontainers.image.ref.name} of the image: {@code oci:DIR:train}. */
    static final String TAG = "train";

    private TrainingImage() {
    }

    /** Writes the layout into {@code dir} (made when missing); returns its reference {@code oci:DIR:train}. */
    static String write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
        byte[] tar = tar("hoist", "hoist\n".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write(tar);
        }
        byte[] layer = gzip.toByteArray();
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2020-01-01T00:00:00Z\","
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + sha256(tar) + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\"," + blob(dir, config) + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\"," + blob(dir, layer) + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        String index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + blob(dir, manifest) + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + TAG + "\"}}]}";
        Files.writeString(dir.resolve("index.json"), index);
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return "oci:" + dir + ":" + TAG;
    }

    /** Stores {@code content} as a blob of the layout; returns its descriptor's digest and size fields. */
    private static String blob(Path dir, byte[] content) throws IOException {
        String hex = sha256(content);
        Files.write(dir.resolve("blobs").resolve("sha256").resolve(hex), content);
        return "\"digest\":\"sha256:" + hex + "\",\"size\":" + content.length;
    }

    /** A POSIX ustar archive of one regular file, mode 0644, owned by root, dated 2020-01-01. */
    private static byte[] tar(String name, byte[] content) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, String.format("%011o", 1577836800L));
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[155] = ' ';
        int padded = (content.length + 511) / 512 * 512;
        byte[] tar = new byte[512 + padded + 1024]; // two zero blocks end the archive
        System.arraycopy(header, 0, tar, 0, 512);
        System.arraycopy(content, 0, tar, 512, content.length);
        return tar;
    }

    private static void put(byte[] header, int at, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, at, bytes.length);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
