package hoist.engine.transport.dir;

import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.MediaTypes;
import hoist.engine.io.AtomicFiles;
import hoist.engine.transport.BlobInfo;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.IncomingBlob;
import hoist.engine.transport.RawManifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Writes an image into a new directory beside the target and swaps it into place at commit. An
 * existing target is replaced only if it is itself a dir-format directory (or empty).
 */
final class DirDestination implements ImageDestination {

    private final ImageReference reference;
    private final Path target;
    private final Path staging;
    private final boolean compress;
    private Digest lastManifest;
    private boolean committed;

    DirDestination(ImageReference reference, Path target, boolean compress) throws IOException {
        this.reference = reference;
        this.target = target;
        this.compress = compress;
        refuseForeignDirectory();
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        this.staging = AtomicFiles.createTempDirectory(parent, "." + target.getFileName() + ".incoming-");
        Files.writeString(staging.resolve(DirLayout.VERSION_FILE), DirLayout.VERSION);
    }

    private void refuseForeignDirectory() throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new HoistException(reference.text() + ": " + target + " exists and is not a directory");
        }
        boolean empty;
        try (Stream<Path> entries = Files.list(target)) {
            empty = entries.findAny().isEmpty();
        }
        Path version = target.resolve(DirLayout.VERSION_FILE);
        boolean ours = Files.isRegularFile(version)
                && DirLayout.VERSION.equals(Files.readString(version, StandardCharsets.UTF_8));
        if (!empty && !ours) {
            throw new HoistException(reference.text() + ": refusing to overwrite " + target
                    + ", a non-empty directory that is not a dir-format image");
        }
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    @Override
    public List<String> supportedManifestTypes() {
        return MediaTypes.IMAGES_AND_LISTS;
    }

    @Override
    public boolean compressesLayers() {
        return compress;
    }

    @Override
    public boolean supportsSignatures() {
        return true;
    }

    @Override
    public Optional<Descriptor> tryReuse(Descriptor blob) throws IOException {
        Path file = staging.resolve(DirLayout.blob(blob.digest()));
        return Files.isRegularFile(file) && Files.size(file) == blob.size() ? Optional.of(blob) : Optional.empty();
    }

    @Override
    public Descriptor putBlob(InputStream stream, BlobInfo info) throws IOException {
        IncomingBlob blob = IncomingBlob.receive(stream, info, staging);
        blob.moveTo(staging.resolve(DirLayout.blob(blob.digest())));
        return new Descriptor(info.mediaType(), blob.digest(), blob.size());
    }

    @Override
    public void putInstanceManifest(RawManifest manifest) throws IOException {
        Files.write(staging.resolve(DirLayout.manifest(manifest.digest())), manifest.bytes());
        lastManifest = manifest.digest();
    }

    @Override
    public void putManifest(RawManifest manifest) throws IOException {
        Files.write(staging.resolve(DirLayout.MANIFEST), manifest.bytes());
        lastManifest = null;
    }

    @Override
    public void putSignatures(List<byte[]> signatures) throws IOException {
        for (int i = 0; i < signatures.size(); i++) {
            Files.write(staging.resolve(DirLayout.signature(lastManifest, i + 1)), signatures.get(i));
        }
    }

    /** Forces the staged files to disk, then swaps the staged directory in for the target. */
    @Override
    public void commit() throws IOException {
        try (Stream<Path> files = Files.list(staging)) {
            for (Path file : files.toList()) {
                AtomicFiles.force(file);
            }
        }
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
            Files.move(target, old);
        }
        Files.move(staging, target);
        committed = true;
        if (old != null) {
            AtomicFiles.deleteTree(old);
        }
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            AtomicFiles.deleteTree(staging);
        }
    }
}
