package hoist.engine.transport.daemon;

import hoist.engine.transport.ImageReference;
import hoist.engine.transport.Transport;

/**
 * {@code docker-daemon:}.
 *
 * @see DaemonReference the reference forms
 */
public final class DaemonTransport implements Transport {

    @Override
    public String name() {
        return "docker-daemon";
    }

    @Override
    public ImageReference parse(String details) {
        return DaemonReference.parse(this, details);
    }
}
