package hoist.engine.transport.dockerarchive;

import hoist.engine.HoistException;
import hoist.engine.archive.TarStreamWriter;
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
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.TransportContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes one image as {@code docker save} does: config {@code HEX.json}, uncompressed layers
 * {@code HEX.tar} (HEX their diff ID), and manifest.json. The blobs stream straight into a
 * temporary tar beside the target, one at a time, and the archive is renamed into place at
 * commit. Like skopeo, it will not overwrite an existing archive. The image's {@code RepoTags} are
 * the reference's name (if any) followed by the context's {@code archiveAdditionalTags}.
 *
 * @see <a href="https://github.com/moby/moby/blob/master/image/spec/v1.2.md">Docker image specification v1.2</a>
 */
final class DockerArchiveDestination implements ImageDestination {

    private final DockerArchiveReference reference;
    private final Path temp;
    private final List<String> repoTags;
    private final TarStreamWriter tar;
    private final Set<Digest> written = ConcurrentHashMap.newKeySet();
    private ImageManifest manifest;
    private boolean committed;

    DockerArchiveDestination(DockerArchiveReference reference, TransportContext context) throws IOException {
        this.reference = reference;
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        if (reference.name() != null) {
            names.add(reference.name().familiar());
        }
        context.archiveAdditionalTags().forEach(tag -> names.add(tag.familiar()));
        this.repoTags = List.copyOf(names);
        Path path = reference.path();
        if (Files.exists(path) && (!Files.isRegularFile(path) || Files.size(path) > 0)) {
            throw new HoistException(reference.text() + ": " + path + " already exists; a docker archive is not "
                    + "modified in place (remove it first)");
        }
        this.temp = AtomicFiles.tempBeside(path);
        this.tar = new TarStreamWriter(temp);
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
    public boolean acceptsParallelBlobs() {
        return false;
    }

    @Override
    public Compression requiredLayerCompression() {
        return Compression.NONE;
    }

    @Override
    public Optional<Descriptor> tryReuse(Descriptor blob) {
        return written.contains(blob.digest()) ? Optional.of(blob) : Optional.empty();
    }

    @Override
    public Descriptor putBlob(InputStream stream, BlobInfo info) throws IOException {
        TarStreamWriter.Appended appended = tar.append(stream, info.digest(), d -> fileName(d, info.isConfig()));
        written.add(appended.digest());
        return new Descriptor(info.mediaType(), appended.digest(), appended.size());
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
        ArchiveManifest archive = new ArchiveManifest(List.of(new ArchiveManifest.Item(
                fileName(manifest.config().digest(), true), repoTags,
                manifest.layers().stream().map(l -> fileName(l.digest(), false)).toList())));
        tar.append(ArchiveManifest.FILE, archive.toJson());
        tar.finish();
        tar.close();
        AtomicFiles.move(temp, reference.path());
        committed = true;
    }

    @Override
    public void close() throws IOException {
        tar.close();
        if (!committed) {
            Files.deleteIfExists(temp);
        }
    }
}
