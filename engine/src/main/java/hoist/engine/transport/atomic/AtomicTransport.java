package hoist.engine.transport.atomic;

import hoist.engine.HoistException;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.Transport;

/**
 * {@code atomic:HOST/NAMESPACE/STREAM:TAG}, OpenShift's image streams: the name must have a
 * registry host, exactly two path components and a tag (no digest), as containers/image requires.
 *
 * @see <a href="https://github.com/containers/image/blob/main/openshift/openshift_transport.go">containers/image's atomic: parsing</a>
 */
public final class AtomicTransport implements Transport {

    @Override
    public String name() {
        return "atomic";
    }

    @Override
    public ImageReference parse(String details) {
        String expected = "invalid reference \"atomic:" + details + "\": expected atomic:HOST/NAMESPACE/STREAM:TAG";
        DockerReference name;
        try {
            name = DockerReference.parse(details);
        } catch (HoistException e) {
            throw HoistException.usage(expected);
        }
        if (!DockerReference.isQualified(details) || name.tag() == null || name.digest() != null
                || name.path().split("/").length != 2) {
            throw HoistException.usage(expected);
        }
        return new AtomicReference(this, name);
    }
}
