package hoist.engine.transport.dockerarchive;

import hoist.engine.transport.ImageReference;
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
}
