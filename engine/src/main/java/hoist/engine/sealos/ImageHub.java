package hoist.engine.sealos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.HoistException;
import hoist.engine.auth.CredentialLookup;
import hoist.engine.auth.Credentials;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.kube.KubeApi;
import hoist.engine.kube.KubeConfig;
import hoist.engine.referrers.Referrers;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.atomic.AtomicReference;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Writes an image's {@link ImageHubImage} resource to the Kubernetes API of a kubeconfig's
 * current context, as {@code sealos push} does after a push: create it, or, when it exists,
 * replace it at the {@code resourceVersion} just read.
 *
 * <p>The kubeconfig is sealos's own for the registry user when it exists
 * ({@code $HOME/.sealos/REGISTRY/USER/config}, which {@code sealos login} writes), else, for
 * {@link CrOption#YES} and {@link CrOption#ONLY}, kubectl's ({@code $KUBECONFIG},
 * {@code $HOME/.kube/config}). {@link CrOption#AUTO} uses sealos's alone, as sealos does: a
 * registry login and a kubectl context of any cluster do not make a push write to that cluster.
 *
 * @see <a href="https://github.com/labring/sealos/blob/v4.3.0/pkg/buildah/imagecr.go">sealos's cr-option</a>
 */
public final class ImageHub {

    /**
     * What was written.
     *
     * @param name       the resource's {@code metadata.name}
     * @param server     the API server's URL
     * @param created    true: created; false: an existing resource replaced
     * @param resource   the resource sent
     */
    public record Written(String name, String server, boolean created, ObjectNode resource) {
    }

    private final Map<String, String> env;
    private final Path home;

    /**
     * @param env  the environment ({@code KUBECONFIG}, {@code HOME})
     * @param home the home directory when {@code HOME} is not set
     */
    public ImageHub(Map<String, String> env, Path home) {
        this.env = Map.copyOf(env);
        this.home = home;
    }

    /** In this process's environment. */
    public static ImageHub fromEnvironment() {
        return new ImageHub(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * Where one destination's resource goes: the name the image is pushed as and the kubeconfig
     * whose API server receives it.
     *
     * @param name   the destination's name
     * @param config the kubeconfig, its current context resolved
     */
    public record Target(DockerReference name, KubeConfig config) {
    }

    /**
     * Decides, before anything is pushed, whether and where {@code destination}'s resource is
     * written as {@code option} says, so that a kubeconfig that cannot be used stops the push
     * before it starts.
     *
     * @param destination        where the image is pushed
     * @param destinationContext the destination's registry options: its credentials decide {@link CrOption#AUTO}
     * @return empty when {@code option} is {@link CrOption#NO}, or {@link CrOption#AUTO} finds no
     *         registry destination, no credentials for it or no sealos kubeconfig for that user
     * @throws HoistException for {@link CrOption#YES} and {@link CrOption#ONLY} when the destination is
     *                        not a registry (a usage error) or no kubeconfig exists; for any option when
     *                        the kubeconfig found cannot be read or resolved
     */
    public Optional<Target> plan(ImageReference destination, TransportContext destinationContext, CrOption option)
            throws IOException {
        if (option == CrOption.NO) {
            return Optional.empty();
        }
        boolean required = option != CrOption.AUTO;
        String transport = destination.transport().name();
        Optional<DockerReference> name = destination.dockerReference();
        if (!(transport.equals("docker") || transport.equals("atomic")) || name.isEmpty()) {
            if (required) {
                throw HoistException.usage("--cr-option " + option.text() + ": " + destination.text()
                        + " is not a registry; the custom resource names an image in a registry");
            }
            return Optional.empty();
        }
        Optional<Credentials> credentials = registryCredentials(destination, name.get(), destinationContext, required);
        Optional<Path> kubeconfig = sealosKubeconfig(name.get().domain(), credentials);
        if (required && kubeconfig.isEmpty()) {
            kubeconfig = KubeConfig.locate(env, home);
        }
        if (!required && (credentials.isEmpty() || kubeconfig.isEmpty())) {
            return Optional.empty();
        }
        KubeConfig config = KubeConfig.load(kubeconfig.orElseThrow(() -> new HoistException("--cr-option "
                + option.text() + ": no kubeconfig for the custom resource: neither $HOME/.sealos/" + name.get().domain()
                + "/USER/config, KUBECONFIG nor $HOME/.kube/config names an existing file")));
        return Optional.of(new Target(name.get(), config));
    }

    /**
     * Reads {@code source}'s image and writes its resource for {@code target}.
     *
     * @param source        the image pushed (read again here, for its files, ID, architecture and size)
     * @param sourceContext how the source is read
     * @throws HoistException when the image cannot be read or the API server refuses
     */
    public Written publish(Target target, ImageReference source, TransportContext sourceContext) throws IOException {
        ObjectNode resource;
        try (ImageSource image = source.openSource(sourceContext)) {
            resource = ImageHubImage.read(image, sourceContext.platform(), target.name());
        }
        return apply(KubeApi.open(target.config()), resource);
    }

    /**
     * Attaches the resource written to the image pushed at {@code destination}, as an OCI referrer
     * (artifact type {@link ImageHubImage#ARTIFACT_TYPE}): the registry's referrers API, or its
     * {@code sha256-HEX} tag index where it has none. The document is the resource as created
     * (without {@code resourceVersion}), so pushing again attaches nothing new. The image is read
     * back to describe it, and must be the one pushed.
     *
     * @param pushed the digest of the manifest the push wrote there
     * @return the artifact's manifest digest
     * @throws HoistException when the destination now holds another manifest, or refuses the artifact
     * @see hoist.engine.referrers.Referrers#attach
     */
    public static Digest attach(ImageReference destination, Digest pushed, Written written, TransportContext context)
            throws IOException {
        Descriptor subject;
        try (ImageSource image = destination.openSource(context)) {
            RawManifest raw = image.manifest(null);
            if (!raw.digest().equals(pushed)) {
                throw new HoistException(destination.text() + ": holds " + raw.digest() + " instead of the pushed "
                        + pushed + "; its custom resource is not attached");
            }
            subject = new Descriptor(raw.mediaType() != null ? raw.mediaType() : raw.parse().mediaType(), raw.digest(),
                    raw.bytes().length);
        }
        // the resource as created: a replacement's resourceVersion would make each push attach another
        ObjectNode resource = written.resource().deepCopy();
        if (resource.path("metadata") instanceof ObjectNode metadata) {
            metadata.remove("resourceVersion");
        }
        byte[] document = ImageHubImage.documentBytes(resource);
        ImageManifest artifact = ImageHubImage.referrerManifest(document, subject);
        return Referrers.attach(destination, context, artifact,
                Map.of(Digest.sha256(document), () -> new ByteArrayInputStream(document)));
    }

    /**
     * Creates {@code resource}, or replaces it when it exists (GET for its {@code resourceVersion},
     * then PUT).
     *
     * @throws HoistException when the API server refuses
     */
    public static Written apply(KubeApi api, ObjectNode resource) {
        String name = resource.path("metadata").path("name").asText();
        if (api.create(ImageHubImage.collectionPath(), resource).isPresent()) {
            return new Written(name, api.server(), true, resource);
        }
        JsonNode existing = api.get(ImageHubImage.objectPath(name)).orElseThrow(() -> new HoistException(
                "Kubernetes API " + api.server() + ": image " + name + " exists, yet cannot be read"));
        ObjectNode replacement = resource.deepCopy();
        ((ObjectNode) replacement.path("metadata")).put("resourceVersion",
                existing.path("metadata").path("resourceVersion").asText());
        api.replace(ImageHubImage.objectPath(name), replacement);
        return new Written(name, api.server(), false, replacement);
    }

    /** {@code --creds}, an atomic: reference's kubeconfig user, else what the auth files hold for the registry. */
    private static Optional<Credentials> registryCredentials(ImageReference destination, DockerReference name,
                                                             TransportContext context, boolean required) throws IOException {
        if (context.registry().credentials() != null) {
            return Optional.of(context.registry().credentials());
        }
        if (destination instanceof AtomicReference) {
            if (!required && KubeConfig.locate().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(AtomicReference.credentials(KubeConfig.current()));
        }
        return new CredentialLookup(null, context.registry().authFile()).find(name.domain(), name.path());
    }

    /** sealos's kubeconfig for the registry's user: {@code $HOME/.sealos/REGISTRY/USER/config}, when it exists. */
    private Optional<Path> sealosKubeconfig(String registry, Optional<Credentials> credentials) {
        if (credentials.isEmpty()) {
            return Optional.empty();
        }
        String homeVar = env.get("HOME");
        Path base = homeVar != null && !homeVar.isEmpty() ? Path.of(homeVar) : home;
        Path sealos = base.resolve(".sealos").resolve(registry).resolve(credentials.get().username()).resolve("config");
        return Files.isRegularFile(sealos) ? Optional.of(sealos) : Optional.empty();
    }
}
