package hoist.dsl.command;

import hoist.engine.HoistException;
import hoist.engine.copy.CopyOptions;
import hoist.engine.copy.CopyResult;
import hoist.engine.copy.DestinationResult;
import hoist.engine.image.Digest;
import hoist.engine.sealos.CrOption;
import hoist.engine.sealos.ImageHub;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import hoist.engine.transport.local.LocalReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code push IMAGE [DESTINATION...]}: a local (or any) image to registries or any transports. */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = "Push an image from the local store (or any transport) to a destination.")
public final class PushCommand implements Callable<CopyResult> {

    @ParentCommand
    HoistCommand hoist;

    @Mixin
    CopyFlags flags;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Local image name, ID, or TRANSPORT:DETAILS.")
    String image;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "DESTINATION",
            description = "Where to push (several: each blob is read once for all); without a transport, docker://. "
                    + "Default: IMAGE's own name on docker://.")
    List<String> destinations = List.of();

    @Option(names = "--cr-option", paramLabel = "WHEN", defaultValue = "auto", completionCandidates = CrOptionNames.class,
            description = "sealos's image custom resource (imagehub.sealos.io/v1 Image) written to the Kubernetes API "
                    + "of the kubeconfig's current context after the push: yes, no, only (instead of pushing), auto "
                    + "(the default: when the registry has credentials and sealos login left a kubeconfig for that "
                    + "user, ~/.sealos/REGISTRY/USER/config). yes and only fall back to KUBECONFIG or ~/.kube/config.")
    String crOption = "auto";

    @Override
    public CopyResult call() throws IOException {
        // what the user typed is checked before the store is read, as podman does
        ImageReference source = Transports.parse(image, hoist.session().storage());
        List<ImageReference> named = destinations.stream().map(d -> Transports.parse(destinationText(d), null)).toList();
        TransportContext context = flags.context(hoist.session().context());
        // podman pushes a list of its store as manifest push does: the list with every image
        CopyOptions options = flags.toOptions(isStoredList(source));
        List<ImageReference> targets = named.isEmpty() ? List.of(Transports.parse("docker://" + defaultName(source))) : named;
        // sealos's --cr-option: where each destination's custom resource goes is settled before anything is pushed
        CrOption cr = CrOption.parse(crOption);
        ImageHub hub = ImageHub.fromEnvironment();
        java.util.Map<ImageReference, ImageHub.Target> resources = new java.util.LinkedHashMap<>();
        for (ImageReference target : targets) {
            hub.plan(target, context, cr).ifPresent(resource -> resources.put(target, resource));
        }
        CopyResult result = cr == CrOption.ONLY ? new CopyResult(source.text(), List.of())
                : CopyRun.run(context, context, source, targets, options, flags.listener(hoist.session(), targets), List.of(),
                flags.signing());
        for (java.util.Map.Entry<ImageReference, ImageHub.Target> entry : resources.entrySet()) {
            ImageHub.Written written = hub.publish(entry.getValue(), source, context);
            if (showsLines()) {
                hoist.session().err().println((written.created() ? "Created" : "Updated") + " image custom resource "
                        + written.name() + " at " + written.server());
            }
            // beyond sealos: the same document travels with the image, attached to what was pushed
            Digest pushed = pushedDigest(result, entry.getKey());
            if (pushed != null) {
                ImageHub.attach(entry.getKey(), pushed, written, context);
            }
        }
        return result;
    }

    /** The manifest digest the push wrote at {@code destination}; null when nothing was pushed there. */
    private static Digest pushedDigest(CopyResult result, ImageReference destination) {
        return result.destinations().stream().filter(d -> d.destination().equals(destination.text()) && d.digest() != null)
                .map(DestinationResult::digest).findFirst().orElse(null);
    }

    /** Whether progress is shown as text (not with {@code --quiet}, {@code --progress=none} or {@code json}). */
    private boolean showsLines() {
        String mode = flags.progress.progress == null ? "auto" : flags.progress.progress;
        return !flags.quiet() && (mode.equals("auto") || mode.equals("plain"));
    }

    /** The values of {@code --cr-option}, for completion. */
    static final class CrOptionNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(CrOption.values()).map(CrOption::text).iterator();
        }
    }

    /**
     * A destination without a transport is a registry ({@code docker://}); without a registry in
     * the name it is {@code localhost}, as buildah push does.
     */
    public static String destinationText(String text) {
        if (Transports.parseExplicit(text).isPresent()) {
            return text;
        }
        return "docker://" + (DockerReference.isQualified(text) ? text : "localhost/" + text);
    }

    private boolean isStoredList(ImageReference source) throws IOException {
        return source instanceof LocalReference local && local.resolve(hoist.session().context()).isList();
    }

    /** A local image is pushed under the name it is stored as; other sources under their own name. */
    private String defaultName(ImageReference source) throws IOException {
        Optional<DockerReference> name = source instanceof LocalReference local
                ? local.storedName(hoist.session().context()) : source.dockerReference();
        return name.orElseThrow(() -> HoistException.usage("\"" + image + "\" has no name to push to; give a DESTINATION"))
                .toString();
    }
}
