package hoist.dsl.command;

import hoist.dsl.CommandOutput;
import hoist.engine.HoistException;
import hoist.engine.config.RegistriesConf;
import hoist.engine.config.ShortNames;
import hoist.engine.copy.CopyOptions;
import hoist.engine.copy.CopyResult;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.Manifest;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code pull SOURCE}: an image into the local store; prints its image ID. */
@Command(name = "pull", mixinStandardHelpOptions = true, description = "Copy an image into the local store.")
public final class PullCommand implements Callable<PullCommand.Pulled> {

    /** The image pulled: its name in the store, its ID, and how the copy went. */
    public record Pulled(String name, Digest imageId, CopyResult copy) implements CommandOutput {
        @Override
        public String text() {
            return imageId.hex();
        }
    }

    @ParentCommand
    HoistCommand hoist;

    @Mixin
    RegistryFlags registry;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Option(names = "--remove-signatures", description = "Do not copy signatures.")
    boolean removeSignatures;

    @Parameters(index = "0", paramLabel = "SOURCE",
            description = "TRANSPORT:DETAILS, or a registry name (short names resolve through registries.conf).")
    String source;

    @Override
    public Pulled call() {
        TransportContext context = registry.apply(hoist.session().context());
        HoistException last = null;
        for (ImageReference from : sources(context)) {
            String name = localName(from);
            ImageReference to = Transports.parse("local:" + name);
            try {
                CopyResult result = CopyRun.run(hoist.session(), context, from, List.of(to),
                        CopyOptions.defaults().withRemoveSignatures(removeSignatures), quiet);
                return new Pulled(name, imageId(to), result);
            } catch (HoistException e) {
                last = e;
            }
        }
        throw last;
    }

    /** The references to try: the source as given, or a short name's candidates from registries.conf. */
    private List<ImageReference> sources(TransportContext context) {
        Optional<ImageReference> explicit = Transports.parseExplicit(source);
        if (explicit.isPresent()) {
            return List.of(explicit.get());
        }
        RegistriesConf conf = RegistriesConf.load(RegistriesConf.explicitFile(context.registry().registriesConf()));
        return ShortNames.candidates(source, conf).stream().map(n -> Transports.parse("docker://" + n)).toList();
    }

    /** The source's own name, or one made from its path as podman does for layouts and archives. */
    static String localName(ImageReference from) {
        return from.dockerReference().map(r -> r.withDefaultTag().toString())
                .orElseGet(() -> "localhost/" + pathName(from.details()) + ":" + tagOf(from.details()));
    }

    /** A layout's REF as the tag when it can be one, else latest. */
    private static String tagOf(String details) {
        int colon = details.indexOf(':');
        String ref = colon < 0 ? "" : details.substring(colon + 1);
        return ref.matches("[\\w][\\w.-]{0,127}") ? ref : "latest";
    }

    private static String pathName(String details) {
        String path = details.contains(":") ? details.substring(0, details.indexOf(':')) : details;
        Path file = Path.of(path).getFileName();
        String base = file == null ? "image" : file.toString().toLowerCase(Locale.ROOT)
                .replaceAll("\\.(tar|tgz|tar\\.gz)$", "").replaceAll("[^a-z0-9._-]", "-")
                .replaceAll("^[^a-z0-9]+", "");
        String name = base.isEmpty() ? "image" : base;
        return DockerReference.parse("localhost/" + name).path();
    }

    private Digest imageId(ImageReference stored) {
        try (ImageSource source = stored.openSource(hoist.session().context())) {
            Manifest manifest = source.manifest(null).parse();
            return manifest instanceof ImageManifest image ? image.config().digest() : manifest.digest();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
