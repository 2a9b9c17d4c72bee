package hoist.dsl.command.manifest;

import hoist.dsl.CommandOutput;
import hoist.dsl.command.RegistryFlags;
import hoist.engine.HoistException;
import hoist.engine.image.Json;
import hoist.engine.image.Manifest;
import hoist.engine.store.LocalStore;
import hoist.engine.store.StoredImage;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import hoist.engine.transport.local.LocalReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code manifest inspect LIST}: a list of the local store, or any {@code TRANSPORT:DETAILS} manifest, as JSON. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show a manifest list or image index as JSON.")
public final class ManifestInspectCommand implements Callable<ManifestInspectCommand.Inspected> {

    /** The manifest read; printed as indented JSON, as podman prints it. */
    public record Inspected(Manifest manifest) implements CommandOutput {
        @Override
        public String text() {
            try {
                return Json.pretty(Json.read(manifest.raw()));
            } catch (IOException e) {
                throw new HoistException("manifest " + manifest.digest() + " is not valid JSON", e);
            }
        }
    }

    @ParentCommand
    ManifestCommand manifest;

    @Mixin
    RegistryFlags registry;

    @Parameters(index = "0", paramLabel = "LIST", description = "A list of the local store, or TRANSPORT:DETAILS.")
    String list;

    @Override
    public Inspected call() throws IOException {
        TransportContext context = registry.apply(manifest.session().context());
        Optional<StoredImage> local = localList(context);
        if (local.isPresent()) {
            return new Inspected(LocalStore.open(context.storeRoot()).readManifest(local.get()));
        }
        ImageReference reference = Transports.parse(hasTransport() ? list : "docker://" + list);
        try (ImageSource source = reference.openSource(context)) {
            return new Inspected(source.manifest(null).parse());
        }
    }

    /**
     * The stored list LIST names, when it names one without a transport (or with local:); empty
     * for another transport, or a registry name the store does not have, which is read from there.
     */
    private Optional<StoredImage> localList(TransportContext context) throws IOException {
        boolean transport = hasTransport();
        if (transport && !(Transports.parse(list) instanceof LocalReference)) {
            return Optional.empty();
        }
        String text = transport ? list.substring(list.indexOf(':') + 1) : list;
        Optional<StoredImage> found = LocalStore.open(context.storeRoot()).find(text);
        if (found.isEmpty() && !transport && DockerReference.isQualified(list)) {
            return Optional.empty();
        }
        StoredImage image = found.orElseThrow(() -> new HoistException(
                list + ": no manifest list of that name in the local store"));
        if (!image.isList()) {
            throw new HoistException(list + " is not a manifest list (it is the image " + image.id().shortHex() + ")");
        }
        return Optional.of(image);
    }

    private boolean hasTransport() {
        return Transports.parseExplicit(list).isPresent();
    }
}
