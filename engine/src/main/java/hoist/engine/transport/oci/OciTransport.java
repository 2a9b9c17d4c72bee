package hoist.engine.transport.oci;

import hoist.engine.transport.ImageReference;
import hoist.engine.transport.Transport;

/** {@code oci:PATH[:REF]}. */
public final class OciTransport implements Transport {

    @Override
    public String name() {
        return "oci";
    }

    @Override
    public ImageReference parse(String details) {
        return OciReference.parse(this, details);
    }
}
