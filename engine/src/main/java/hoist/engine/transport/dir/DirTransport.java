package hoist.engine.transport.dir;

import hoist.engine.HoistException;
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
        return new DirReference(this, Path.of(details).toAbsolutePath().normalize());
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

        @Override
        public String toString() {
            return text();
        }
    }
}
