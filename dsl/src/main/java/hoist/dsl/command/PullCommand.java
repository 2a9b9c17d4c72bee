package hoist.dsl.command;

import hoist.dsl.CommandOutput;
import hoist.engine.HoistException;
import hoist.engine.config.RegistriesConf;
import hoist.engine.config.ShortNames;
import hoist.engine.copy.CopyOptions;
import hoist.engine.copy.CopyResult;
import hoist.engine.crypt.LayerCrypto;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.Manifest;
import hoist.engine.image.Platform;
import hoist.engine.store.StoredImage;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import hoist.engine.transport.oci.OciReference;
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

    @Mixin
    ProgressFlags progress;

    @Mixin
    DecryptionFlags decryption;

    @Option(names = "--remove-signatures", description = "Do not copy signatures (hoist's own store keeps none: "
            + "they are checked against the policy on the way in).")
    boolean removeSignatures;

    @Option(names = "--referrers",
            description = "Pull what is attached to the image too: OCI referrers and cosign's .sig, .att and .sbom tags.")
    boolean referrers;

    @Mixin
    PolicyFlags policy;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Of a manifest list, pull the image for this platform instead of this machine's.")
    String platform;

    @Parameters(index = "0", paramLabel = "SOURCE",
            description = "TRANSPORT:DETAILS, or a registry name (short names resolve through registries.conf).")
    String source;

    @Override
    public Pulled call() throws IOException {
        TransportContext context = registry.apply(hoist.session().context());
        if (platform != null) {
            try {
                context = context.withPlatform(Platform.parse(platform));
            } catch (IllegalArgumentException e) {
                throw HoistException.usage("--platform: " + e.getMessage());
            }
        }
        HoistException last = null;
        for (ImageReference from : sources(context)) {
            List<String> names = names(from, context);
            ImageReference to = Transports.parse(hoist.session().storage() + ":" + names.get(0));
            try {
                CopyResult result = CopyRun.run(context, context, from, List.of(to),
                        CopyOptions.defaults().withRemoveSignatures(removeSignatures).withReferrers(referrers)
                                .withCrypto(new LayerCrypto(null, null, decryption.keys())),
                        progress.listener(hoist.session(), List.of(to)), List.of(), policy.signing());
                if (names.size() > 1) {
                    LocalImages.of(hoist.session()).tag(names.get(0), names.subList(1, names.size()));
                }
                return new Pulled(names.get(0), imageId(to), result);
            } catch (HoistException e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * The names the pulled image gets, as podman gives them: those the source carries (a
     * registry reference, RepoTags, an OCI entry's full ref.name); else an OCI REF as a name in
     * {@code localhost}; else one made from the path, which never takes the name of another image.
     */
    private List<String> names(ImageReference from, TransportContext context) throws IOException {
        if (from.dockerReference().isPresent()) {
            return List.of(from.dockerReference().get().withDefaultTag().toString());
        }
        if (from instanceof OciReference oci && DockerReference.isQualified(oci.ref())) {
            // the entry was found by this ref.name, so it is the name the entry carries
            return List.of(DockerReference.parse(oci.ref()).withDefaultTag().toString());
        }
        Digest top;
        try (ImageSource opened = from.openSource(context)) {
            List<String> carried = opened.imageNames();
            if (!carried.isEmpty()) {
                return carried;
            }
            top = opened.manifest(null).digest();
        }
        if (from instanceof OciReference oci && !oci.ref().isEmpty()) {
            try {
                return List.of(DockerReference.parse("localhost/" + oci.ref()).withDefaultTag().toString());
            } catch (HoistException e) {
                // a REF that is no image name: named from the path below
            }
        }
        String derived = "localhost/" + pathName(from.details()) + ":latest";
        Optional<StoredImage> holder = LocalImages.of(hoist.session()).images().stream()
                .filter(image -> image.names().contains(derived)).findFirst();
        if (holder.isPresent() && !holder.get().manifestDigest().equals(top)) {
            // the name is another image's: this one is told apart by its digest instead
            return List.of("localhost/" + pathName(from.details()) + ":" + top.hex().substring(0, 12));
        }
        return List.of(derived);
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

    /** The file or directory name of a layout or archive as a repository name. */
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
