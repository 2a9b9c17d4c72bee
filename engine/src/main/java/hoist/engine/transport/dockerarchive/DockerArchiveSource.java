package hoist.engine.transport.dockerarchive;

import hoist.engine.HoistException;
import hoist.engine.archive.InvalidArchiveException;
import hoist.engine.archive.TarIndex;
import hoist.engine.compress.Compression;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageConfig;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.ManifestFormat;
import hoist.engine.image.MediaTypes;
import hoist.engine.image.DigestingInputStream;
import hoist.engine.io.WriteFailure;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.TransportContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one image of an archive in place. The archive holds no manifest, so one is made: schema2,
 * the config as stored, and each layer as stored: an uncompressed layer is described by its
 * diff ID (verified as it is read), a compressed one by the digest of its bytes.
 */
final class DockerArchiveSource implements ImageSource {

    private final ImageReference reference;
    private final TarIndex tar;
    private final Path decompressedCopy;
    private final ImageManifest manifest;
    private final Map<Digest, String> paths;
    private final List<String> names;

    private DockerArchiveSource(ImageReference reference, TarIndex tar, Path decompressedCopy, ImageManifest manifest,
                                Map<Digest, String> paths, List<String> names) {
        this.names = List.copyOf(names);
        this.reference = reference;
        this.tar = tar;
        this.decompressedCopy = decompressedCopy;
        this.manifest = manifest;
        this.paths = paths;
    }

    static DockerArchiveSource open(DockerArchiveReference reference, TransportContext context) throws IOException {
        if (!Files.isRegularFile(reference.path())) {
            throw new HoistException(reference.text() + ": " + reference.path() + ": no such file");
        }
        Path copy = decompressedCopy(reference.path(), context.tempDir());
        try {
            TarIndex tar = TarIndex.read(copy != null ? copy : reference.path());
            ArchiveManifest archive = ArchiveManifest.parse(tar.readAll(requirePath(tar, ArchiveManifest.FILE)),
                    reference.path().toString());
            ArchiveManifest.Item item = choose(archive, reference);
            Map<Digest, String> paths = new HashMap<>();
            ImageManifest manifest = describe(tar, item, paths, reference.path().toString());
            List<String> names = item.repoTags().stream().map(DockerArchiveSource::normalized)
                    .filter(DockerReference::isQualified).distinct().toList();
            return new DockerArchiveSource(reference, tar, copy, manifest, paths, names);
        } catch (IOException | RuntimeException e) {
            if (copy != null) {
                Files.deleteIfExists(copy);
            }
            throw e;
        }
    }

    /**
     * The names of the archive's images, in its order: each image's {@code RepoTags}, or
     * {@code @N} (its index) for an image without one, as skopeo list-tags shows them.
     */
    static List<String> imageNames(Path archive, TransportContext context) throws IOException {
        if (!Files.isRegularFile(archive)) {
            throw new HoistException("docker-archive:" + archive + ": no such file");
        }
        Path copy = decompressedCopy(archive, context.tempDir());
        try {
            TarIndex tar = TarIndex.read(copy != null ? copy : archive);
            ArchiveManifest manifest = ArchiveManifest.parse(tar.readAll(requirePath(tar, ArchiveManifest.FILE)),
                    archive.toString());
            List<String> names = new ArrayList<>();
            for (int i = 0; i < manifest.items().size(); i++) {
                List<String> tags = manifest.items().get(i).repoTags();
                if (tags.isEmpty()) {
                    names.add("@" + i);
                } else {
                    names.addAll(tags);
                }
            }
            return names;
        } finally {
            if (copy != null) {
                Files.deleteIfExists(copy);
            }
        }
    }

    /** A compressed archive (docker save | gzip) is decompressed to a temporary file first. */
    private static Path decompressedCopy(Path archive, Path tempDir) throws IOException {
        Compression compression;
        try (InputStream in = Files.newInputStream(archive)) {
            byte[] head = in.readNBytes(Compression.MAGIC_LENGTH);
            compression = Compression.detect(head, head.length);
        }
        if (compression == Compression.NONE) {
            return null;
        }
        String what = "a decompressed copy of " + archive + " to the temporary directory " + tempDir + " (TMPDIR)";
        Path copy;
        try {
            Files.createDirectories(tempDir);
            copy = Files.createTempFile(tempDir, "hoist-docker-archive-", ".tar");
        } catch (IOException e) {
            throw WriteFailure.explain(e, what).orElseThrow(() -> e);
        }
        // a failure to read is the archive's; a failure to write (a full TMPDIR) is said as such
        try (InputStream in = new hoist.engine.compress.ExpansionLimit(compression.decompress(Files.newInputStream(archive)),
                Files.size(archive), () -> 0, archive.toString());
             OutputStream out = Files.newOutputStream(copy)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = read(in, buffer, archive)) >= 0) {
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw WriteFailure.explain(e, what).orElseThrow(() -> e);
                }
            }
        } catch (IOException e) {
            Files.deleteIfExists(copy);
            throw new InvalidArchiveException(archive + ": the compressed archive is damaged: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
        return copy;
    }

    private static int read(InputStream in, byte[] buffer, Path archive) {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new InvalidArchiveException(archive + ": the compressed archive is damaged: " + e.getMessage(), e);
        }
    }

    private static String requirePath(TarIndex tar, String path) {
        if (tar.find(path).isEmpty()) {
            throw new InvalidArchiveException(tar.tarFile() + " is not a docker archive: no " + path);
        }
        return path;
    }

    private static ArchiveManifest.Item choose(ArchiveManifest archive, DockerArchiveReference reference) {
        List<ArchiveManifest.Item> items = archive.items();
        if (reference.index() >= 0) {
            if (reference.index() >= items.size()) {
                throw new HoistException(reference.text() + ": the archive has only " + items.size() + " image(s)");
            }
            return items.get(reference.index());
        }
        if (reference.name() != null) {
            String wanted = reference.name().toString();
            for (ArchiveManifest.Item item : items) {
                for (String tag : item.repoTags()) {
                    if (normalized(tag).equals(wanted)) {
                        return item;
                    }
                }
            }
            throw new HoistException(reference.text() + ": no image tagged " + reference.name().familiar() + " in the archive");
        }
        if (items.size() != 1) {
            List<String> tags = new ArrayList<>();
            items.forEach(i -> tags.add(i.repoTags().isEmpty() ? "(untagged)" : String.join(" ", i.repoTags())));
            throw new HoistException(reference.text() + " holds " + items.size() + " images; choose one with :NAME:TAG or :@N ("
                    + String.join(", ", tags) + ")");
        }
        return items.get(0);
    }

    private static String normalized(String tag) {
        try {
            return DockerReference.parse(tag).withDefaultTag().toString();
        } catch (HoistException e) {
            return tag;
        }
    }

    private static ImageManifest describe(TarIndex tar, ArchiveManifest.Item item, Map<Digest, String> paths, String archive)
            throws IOException {
        byte[] configBytes = tar.readAll(requirePath(tar, item.config()));
        ImageConfig config = ImageConfig.parse(configBytes);
        List<Digest> diffIds = config.diffIds();
        if (diffIds.size() != item.layers().size()) {
            throw new InvalidArchiveException(archive + ": the config lists " + diffIds.size() + " layers, manifest.json "
                    + item.layers().size());
        }
        Descriptor configDescriptor = new Descriptor(MediaTypes.DOCKER_CONFIG, config.digest(), configBytes.length);
        paths.put(config.digest(), item.config());
        List<Descriptor> layers = new ArrayList<>();
        for (int i = 0; i < diffIds.size(); i++) {
            String path = requirePath(tar, item.layers().get(i));
            Descriptor layer = layer(tar, path, diffIds.get(i));
            paths.put(layer.digest(), path);
            layers.add(layer);
        }
        return ImageManifest.of(ManifestFormat.V2S2, configDescriptor, layers, Map.of());
    }

    private static Descriptor layer(TarIndex tar, String path, Digest diffId) throws IOException {
        long size = tar.require(path).size();
        Compression compression;
        try (InputStream in = tar.open(path)) {
            byte[] head = in.readNBytes(Compression.MAGIC_LENGTH);
            compression = Compression.detect(head, head.length);
        }
        if (compression == Compression.NONE) {
            return new Descriptor(MediaTypes.DOCKER_LAYER, diffId, size);
        }
        try (InputStream in = tar.open(path)) {
            DigestingInputStream digesting = new DigestingInputStream(in);
            digesting.transferTo(OutputStream.nullOutputStream());
            String mediaType = compression == Compression.ZSTD ? MediaTypes.DOCKER_LAYER_ZSTD : MediaTypes.DOCKER_LAYER_GZIP;
            return new Descriptor(mediaType, digesting.digest(), size);
        }
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    /** The image's RepoTags in manifest.json, normalized ({@code docker.io/library/...:TAG}). */
    @Override
    public List<String> imageNames() {
        return names;
    }

    @Override
    public RawManifest manifest(Digest instance) {
        if (instance != null) {
            throw new HoistException(reference.text() + ": a docker archive holds no manifest lists");
        }
        return RawManifest.of(manifest);
    }

    @Override
    public InputStream blob(Descriptor blob) throws IOException {
        String path = paths.get(blob.digest());
        if (path == null) {
            throw new HoistException(reference.text() + ": no blob " + blob.digest() + " in the archive");
        }
        return tar.open(path);
    }

    @Override
    public void close() throws IOException {
        if (decompressedCopy != null) {
            Files.deleteIfExists(decompressedCopy);
        }
    }
}
