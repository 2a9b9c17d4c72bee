package hoist.engine.transport.storage;

import hoist.engine.transport.ImageReference;
import hoist.engine.transport.Transport;

/** {@code containers-storage:[[DRIVER@]GRAPHROOT[+RUNROOT][:OPTIONS]]IMAGE}: podman's and buildah's store. */
public final class StorageTransport implements Transport {

    public static final String NAME = "containers-storage";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ImageReference parse(String details) {
        return StorageReference.parse(this, details);
    }
}
