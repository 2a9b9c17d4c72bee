package hoist.engine.transport.local;

import hoist.engine.HoistException;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.Transport;

/** {@code local:NAME[:TAG]}, {@code local:ID}, {@code local:ID-PREFIX}. */
public final class LocalTransport implements Transport {

    @Override
    public String name() {
        return "local";
    }

    @Override
    public ImageReference parse(String details) {
        if (details.isEmpty()) {
            throw HoistException.usage("invalid reference \"local:\": no image name or ID");
        }
        return new LocalReference(this, details);
    }
}
