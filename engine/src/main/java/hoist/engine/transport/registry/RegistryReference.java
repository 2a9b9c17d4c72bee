package hoist.engine.transport.registry;

import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.Transport;
import hoist.engine.transport.TransportContext;

import java.io.IOException;
import java.util.Optional;

/** An image in a registry, by tag or digest. */
public record RegistryReference(Transport transport, DockerReference name) implements ImageReference {

    @Override
    public String details() {
        return "//" + name;
    }

    @Override
    public Optional<DockerReference> dockerReference() {
        return Optional.of(name);
    }

    /** The tag or digest that names the image in its repository. */
    String tagOrDigest() {
        return name.digest() != null ? name.digest().toString() : name.tag();
    }

    /** {@code host/repository}: where a blob is, for {@link hoist.engine.transport.BlobKnowledge}. */
    String location() {
        return name.name();
    }

    RegistryClient client(TransportContext context, boolean push) throws IOException {
        return RegistryClient.open(this, context.registry(), push);
    }

    @Override
    public ImageSource openSource(TransportContext context) throws IOException {
        return new RegistrySource(this, client(context, false), context.knowledge());
    }

    @Override
    public ImageDestination openDestination(TransportContext context) throws IOException {
        return new RegistryDestination(this, client(context, true), context.knowledge());
    }

    @Override
    public String toString() {
        return text();
    }
}
