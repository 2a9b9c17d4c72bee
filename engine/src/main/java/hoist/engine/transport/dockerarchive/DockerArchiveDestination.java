package hoist.engine.transport.dockerarchive;

import hoist.engine.HoistException;
import hoist.engine.archive.TarWriter;
import hoist.engine.compress.Compression;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.Manifest;
import hoist.engine.image.MediaTypes;
import hoist.engine.io.AtomicFiles;
import hoist.engine.transport.BlobInfo;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.IncomingBlob;
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.TransportContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Writes one image as {@code docker save} does: config {@code HEX.json}, uncompressed layers
 * {@code HEX.tar} (HEX their diff ID), and manifest.json; staged in a temporary directory and
 * packed into the archive at commit. Like skopeo, it will not overwrite an existing archive.
 */
final class DockerArchiveDestination implements ImageDestination {

    private final DockerArchiveReference reference;
    private final Path staging;
    private ImageManifest manifest;

    DockerArchiveDestination(DockerArchiveReference reference, TransportContext context) throws IOException {
        this.reference = reference;
        Path path = reference.path();
        if (Files.exists(path) && (!Files.isRegularFile(path) || Files.size(path) > 0)) {
            throw new HoistException(reference.text() + ": " + path + " already exists; a docker archive is not "
                    + "modified in place (remove it first)");
        }
        Files.createDirectories(context.tempDir());
        this.staging = Files.createTempDirectory(context.tempDir(), "hoist-docker-archive-");
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    @Override
    public List<String> supportedManifestTypes() {
        return List.of(MediaTypes.DOCKER_MANIFEST);
    }

    @Override
    public boolean acceptsLists() {
        return false;
    }

    @Override
    public Compression requiredLayerCompression() {
        return Compression.NONE;
    }

    @Override
    public Optional<Descriptor> tryReuse(Descriptor blob) throws IOException {
        for (String suffix : new String[] {".tar", ".json"}) {
            Path file = staging.resolve(blob.digest().hex() + suffix);
            if (Files.isRegularFile(file) && Files.size(file) == blob.size()) {
                return Optional.of(blob);
            }
        }
        return Optional.empty();
    }

    @Override
    public Descriptor putBlob(InputStream stream, BlobInfo info) throws IOException {
        IncomingBlob blob = IncomingBlob.receive(stream, info, staging, false);
        blob.moveTo(staging.resolve(fileName(blob.digest(), info.isConfig())));
        return new Descriptor(info.mediaType(), blob.digest(), blob.size());
    }

    private static String fileName(Digest digest, boolean config) {
        return digest.hex() + (config ? ".json" : ".tar");
    }

    @Override
    public void putManifest(RawManifest raw) {
        Manifest parsed = raw.parse();
        if (!(parsed instanceof ImageManifest image)) {
            throw new HoistException(reference.text() + ": a docker archive cannot hold a manifest list");
        }
        this.manifest = image;
    }

    @Override
    public void commit() throws IOException {
        List<String> tags = reference.name() == null ? List.of() : List.of(reference.name().familiar());
        ArchiveManifest archive = new ArchiveManifest(List.of(new ArchiveManifest.Item(
                fileName(manifest.config().digest(), true), tags,
                manifest.layers().stream().map(l -> fileName(l.digest(), false)).toList())));
        Files.write(staging.resolve(ArchiveManifest.FILE), archive.toJson());
        Path parent = reference.path().toAbsolutePath().getParent();
        Files.createDirectories(parent);
        TarWriter.packDirectory(staging, reference.path());
    }

    @Override
    public void close() throws IOException {
        AtomicFiles.deleteTree(staging);
    }
}
