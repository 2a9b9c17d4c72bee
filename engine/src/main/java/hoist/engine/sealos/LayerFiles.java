package hoist.engine.sealos;

import hoist.engine.HoistException;
import hoist.engine.compress.Compression;
import hoist.engine.image.Descriptor;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.VerifyingInputStream;
import hoist.engine.io.CountingInputStream;
import hoist.engine.transport.ImageSource;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A few regular files of an image's root file system, as the layers stacked in order make it
 * (a later layer's file replaces an earlier one's; whiteouts and opaque directories remove them),
 * and the uncompressed size of all layers. Every layer is streamed once, verified against its
 * digest; only the files asked for are kept, each at most {@link #MAX_FILE_BYTES}.
 *
 * @param files          path (relative, no leading {@code /}) to content, for each asked-for path present
 * @param unpackedBytes  the sum of the layers' uncompressed (tar) sizes, in bytes
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/layer.md">OCI image layers (whiteouts)</a>
 */
public record LayerFiles(Map<String, byte[]> files, long unpackedBytes) {

    /** The largest file kept: custom resources and READMEs are small; a bigger one is refused, not truncated. */
    public static final int MAX_FILE_BYTES = 1024 * 1024;

    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    /**
     * Reads {@code image}'s layers from {@code source}.
     *
     * @param paths the files wanted, relative to the root ({@code metadata/config.yaml})
     * @throws HoistException naming the image when a layer is encrypted, is not a tar, or a wanted
     *                        file is larger than {@link #MAX_FILE_BYTES}
     */
    public static LayerFiles read(ImageSource source, ImageManifest image, Set<String> paths) throws IOException {
        Map<String, byte[]> found = new HashMap<>();
        long unpacked = 0;
        for (Descriptor layer : image.layers()) {
            if (layer.mediaType() != null && layer.mediaType().contains("+encrypted")) {
                throw new HoistException(source.reference().text() + ": layer " + layer.digest()
                        + " is encrypted; its files cannot be read for the custom resource");
            }
            unpacked += scan(source, layer, paths, found);
        }
        return new LayerFiles(Map.copyOf(found), unpacked);
    }

    /** Applies one layer to {@code found}; returns its uncompressed size. */
    private static long scan(ImageSource source, Descriptor layer, Set<String> paths, Map<String, byte[]> found)
            throws IOException {
        try (InputStream stored = new VerifyingInputStream(source.blob(layer), layer.digest(), layer.size(),
                source.reference().text() + " layer " + layer.digest())) {
            Compression.Detected detected = Compression.detect(stored);
            CountingInputStream plain = new CountingInputStream(detected.compression().decompress(detected.stream()));
            TarArchiveInputStream tar = new TarArchiveInputStream(plain);
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String path = normalize(entry.getName());
                int slash = path.lastIndexOf('/');
                String dir = slash < 0 ? "" : path.substring(0, slash + 1);
                String base = path.substring(slash + 1);
                if (base.equals(OPAQUE)) {
                    found.keySet().removeIf(p -> p.startsWith(dir));
                } else if (base.startsWith(WHITEOUT)) {
                    String removed = dir + base.substring(WHITEOUT.length());
                    found.keySet().removeIf(p -> p.equals(removed) || p.startsWith(removed + "/"));
                } else if (paths.contains(path)) {
                    if (entry.isFile()) {
                        if (entry.getSize() > MAX_FILE_BYTES) {
                            throw new HoistException(source.reference().text() + ": /" + path + " is "
                                    + entry.getSize() + " bytes, more than the " + MAX_FILE_BYTES + " a custom resource may hold");
                        }
                        found.put(path, tar.readNBytes((int) entry.getSize()));
                    } else {
                        found.remove(path);
                    }
                } else {
                    // a directory or other entry replacing a wanted file's parent hides that file
                    if (!entry.isDirectory()) {
                        found.keySet().removeIf(p -> p.startsWith(path + "/"));
                    }
                }
            }
            plain.transferTo(java.io.OutputStream.nullOutputStream());
            // the rest of the stored bytes, so the digest is checked
            stored.transferTo(java.io.OutputStream.nullOutputStream());
            return plain.count();
        } catch (IOException e) {
            throw new HoistException(source.reference().text() + ": layer " + layer.digest() + " cannot be read as a tar: "
                    + HoistException.describe(e), e);
        }
    }

    /** {@code ./a/b}, {@code /a/b} and {@code a/b/} all name {@code a/b}. */
    static String normalize(String name) {
        String path = name;
        while (path.startsWith("./")) {
            path = path.substring(2);
        }
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }
}
