package hoist.engine.transport.dir;

import hoist.engine.HoistException;
import hoist.engine.transport.ReferencePaths;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.Transport;
import hoist.engine.transport.TransportContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code dir:PATH}. */
public final class DirTransport implements Transport {

    @Override
    public String name() {
        return "dir";
    }

    @Override
    public ImageReference parse(String details) {
        if (details.isEmpty()) {
            throw HoistException.usage("invalid reference \"dir:\": no path");
        }
        return new DirReference(this, ReferencePaths.absolute(details, "dir:" + details));
    }

    /** A directory path. */
    record DirReference(Transport transport, Path path) implements ImageReference {

        @Override
        public String details() {
            return path.toString();
        }

        @Override
        public ImageSource openSource(TransportContext context) {
            if (!Files.isDirectory(path)) {
                throw new HoistException(text() + ": " + path + " is not a directory");
            }
            return new DirSource(this, path);
        }

        @Override
        public ImageDestination openDestination(TransportContext context) throws IOException {
            return new DirDestination(this, path, context.compressDirLayers());
        }

        /**
         * Removes the directory the image is, when every file in it is one a {@code dir:} image
         * has (its version file, manifests, blobs, signatures); anything else there stops it
         * before a file is removed.
         */
        @Override
        public void deleteImage(TransportContext context) throws IOException {
            if (!Files.isRegularFile(path.resolve(DirLayout.VERSION_FILE))) {
                throw new HoistException(text() + ": " + path + " is not a dir: image (no " + DirLayout.VERSION_FILE + " file)");
            }
            try (java.util.stream.Stream<Path> entries = Files.list(path)) {
                for (Path entry : entries.toList()) {
                    String name = entry.getFileName().toString();
                    if (!Files.isRegularFile(entry) || !name.matches(DirLayout.FILE_NAMES)) {
                        throw new HoistException(text() + ": " + entry + " is not part of the image; nothing was deleted");
                    }
                }
            }
            hoist.engine.io.AtomicFiles.deleteTree(path);
        }

        @Override
        public String toString() {
            return text();
        }
    }
}
