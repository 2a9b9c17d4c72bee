package hoist.engine.transport.ociarchive;

import hoist.engine.archive.TarWriter;
import hoist.engine.image.Descriptor;
import hoist.engine.io.AtomicFiles;
import hoist.engine.transport.BlobInfo;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.oci.OciDestination;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Builds the layout in a temporary directory and packs it into the archive at commit; the archive
 * is replaced whole, never left half written.
 */
final class OciArchiveDestination implements ImageDestination {

    private final ImageReference reference;
    private final Path archive;
    private final Path staging;
    private final OciDestination layout;

    OciArchiveDestination(ImageReference reference, Path archive, String ref, Path tempDir) throws IOException {
        this.reference = reference;
        this.archive = archive;
        Files.createDirectories(tempDir);
        this.staging = Files.createTempDirectory(tempDir, "hoist-oci-archive-");
        this.layout = new OciDestination(reference, staging.resolve("layout"), ref, false);
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    @Override
    public List<String> supportedManifestTypes() {
        return layout.supportedManifestTypes();
    }

    @Override
    public List<String> manifestTypesWhenAsked() {
        return layout.manifestTypesWhenAsked();
    }

    @Override
    public boolean compressesLayers() {
        return layout.compressesLayers();
    }

    @Override
    public Optional<Descriptor> tryReuse(Descriptor blob) throws IOException {
        return layout.tryReuse(blob);
    }

    @Override
    public Descriptor putBlob(InputStream stream, BlobInfo info) throws IOException {
        return layout.putBlob(stream, info);
    }

    @Override
    public void putInstanceManifest(RawManifest manifest) throws IOException {
        layout.putInstanceManifest(manifest);
    }

    @Override
    public void putManifest(RawManifest manifest) throws IOException {
        layout.putManifest(manifest);
    }

    @Override
    public void commit() throws IOException {
        layout.commit();
        Path parent = archive.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        TarWriter.packDirectory(staging.resolve("layout"), archive);
    }

    @Override
    public void close() throws IOException {
        AtomicFiles.deleteTree(staging);
    }
}
