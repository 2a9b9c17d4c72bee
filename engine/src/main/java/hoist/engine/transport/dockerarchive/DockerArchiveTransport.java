package hoist.engine.transport.dockerarchive;

import hoist.engine.transport.ImageReference;
import hoist.engine.transport.TransportContext;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import hoist.engine.transport.Transport;

/** {@code docker-archive:}. */
public final class DockerArchiveTransport implements Transport {

    @Override
    public String name() {
        return "docker-archive";
    }

    @Override
    public ImageReference parse(String details) {
        return DockerArchiveReference.parse(this, details);
    }

    /**
     * The names of the images in the archive at {@code archive} (plain or compressed): each
     * image's {@code RepoTags} entries, {@code @N} for an image without a name; in archive order.
     *
     * @throws hoist.engine.HoistException when the file is missing or not a docker archive
     */
    public static List<String> imageNames(Path archive, TransportContext context) throws IOException {
        return DockerArchiveSource.imageNames(archive, context);
    }
}
