package hoist.engine.transport.dir;

import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads an image from a dir-format directory. */
final class DirSource implements ImageSource {

    private final ImageReference reference;
    private final Path root;

    DirSource(ImageReference reference, Path root) {
        this.reference = reference;
        this.root = root;
        if (!Files.isRegularFile(root.resolve(DirLayout.MANIFEST))) {
            throw new HoistException(reference.text() + ": " + root + " holds no image (no " + DirLayout.MANIFEST + ")");
        }
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    @Override
    public RawManifest manifest(Digest instance) throws IOException {
        Path file = root.resolve(DirLayout.manifest(instance));
        if (!Files.isRegularFile(file)) {
            throw new HoistException(reference.text() + ": manifest " + instance + " is missing");
        }
        return new RawManifest(Files.readAllBytes(file), null);
    }

    @Override
    public InputStream blob(Descriptor blob) throws IOException {
        Path file = root.resolve(DirLayout.blob(blob.digest()));
        if (!Files.isRegularFile(file)) {
            throw new HoistException(reference.text() + ": blob " + blob.digest() + " is missing");
        }
        return Files.newInputStream(file);
    }

    @Override
    public List<byte[]> signatures(Digest instance) throws IOException {
        List<byte[]> signatures = new ArrayList<>();
        for (int n = 1; ; n++) {
            Path file = root.resolve(DirLayout.signature(instance, n));
            if (!Files.isRegularFile(file)) {
                return signatures;
            }
            signatures.add(Files.readAllBytes(file));
        }
    }
}
