package hoist.engine.transport.sif;

import hoist.engine.HoistException;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.ReferencePaths;
import hoist.engine.transport.Transport;
import hoist.engine.transport.TransportContext;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code sif:PATH}: a Singularity Image Format file, read as a one-layer image. Like
 * containers/image's sif transport it only reads; writing SIF files is Singularity's work.
 *
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-transports.5.md">containers-transports(5)</a>
 */
public final class SifTransport implements Transport {

    @Override
    public String name() {
        return "sif";
    }

    /**
     * Parses {@code PATH} (made absolute).
     *
     * @throws HoistException a usage error when the path is empty
     */
    @Override
    public ImageReference parse(String details) {
        if (details.isEmpty()) {
            throw HoistException.usage("invalid reference \"sif:\": no path to a SIF file");
        }
        return new SifReference(this, ReferencePaths.absolute(details, "sif:" + details));
    }

    /** A SIF file's path. */
    record SifReference(Transport transport, Path path) implements ImageReference {

        @Override
        public String details() {
            return path.toString();
        }

        @Override
        public ImageSource openSource(TransportContext context) throws IOException {
            return SifSource.open(this, path, context.tempDir());
        }

        /** @throws HoistException always: SIF files are only read */
        @Override
        public ImageDestination openDestination(TransportContext context) {
            throw new HoistException(text() + ": the sif transport only reads images; SIF files cannot be written");
        }

        @Override
        public String toString() {
            return text();
        }
    }
}
