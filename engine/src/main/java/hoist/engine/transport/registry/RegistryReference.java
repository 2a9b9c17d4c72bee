package hoist.engine.transport.registry;

import hoist.engine.config.RegistriesConf;
import hoist.engine.config.RegistryRoute;
import hoist.engine.config.RegistrySources;
import hoist.engine.image.Digest;
import hoist.engine.image.ManifestDigest;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.RegistryOptions;
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

    /** Where this reference goes by registries.conf and BUILD_REGISTRY_SOURCES; blocked registries fail here. */
    RegistryRoute route(TransportContext context) {
        RegistriesConf conf = RegistriesConf.load(RegistriesConf.explicitFile(context.registry().registriesConf()));
        return RegistryRoute.of(name, conf, RegistrySources.fromEnvironment());
    }

    /** A client for one endpoint; an insecure endpoint is reached without TLS verification unless the user said otherwise. */
    RegistryClient client(RegistryRoute.Endpoint endpoint, TransportContext context, boolean push) throws IOException {
        RegistryOptions options = context.registry();
        if (endpoint.insecure() && options.tlsVerify() == null) {
            options = options.withTlsVerify(false);
        }
        return RegistryClient.open(text(), endpoint.reference(), options, push);
    }

    @Override
    public ImageSource openSource(TransportContext context) {
        return new RegistrySource(this, route(context).readOrder(), context);
    }

    /** Reads the manifest's digest, then deletes the manifest by digest from the primary endpoint. */
    @Override
    public void deleteImage(TransportContext context) throws IOException {
        RegistryRoute route = route(context);
        RegistryClient client = client(new RegistryRoute.Endpoint(route.primary(), route.primaryInsecure()), context, true);
        Digest digest = name.digest() != null ? name.digest() : ManifestDigest.of(client.manifest(tagOrDigest()).bytes());
        client.deleteManifest(digest);
    }

    @Override
    public ImageDestination openDestination(TransportContext context) throws IOException {
        RegistryRoute route = route(context);
        RegistryRoute.Endpoint primary = new RegistryRoute.Endpoint(route.primary(), route.primaryInsecure());
        return new RegistryDestination(this, route.primary(), client(primary, context, true), context.knowledge());
    }

    @Override
    public String toString() {
        return text();
    }
}
