package hoist.engine.transport.registry;

import hoist.engine.HoistException;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.Transport;

/** {@code docker://NAME[:TAG|@DIGEST]}. */
public final class RegistryTransport implements Transport {

    @Override
    public String name() {
        return "docker";
    }

    @Override
    public ImageReference parse(String details) {
        if (!details.startsWith("//")) {
            throw HoistException.usage("invalid reference \"docker:" + details + "\": expected docker://NAME[:TAG]");
        }
        return new RegistryReference(this, DockerReference.parse(details.substring(2)).withDefaultTag());
    }
}
