package hoist.engine.transport.atomic;

import hoist.engine.HoistException;
import hoist.engine.auth.Credentials;
import hoist.engine.kube.KubeConfig;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.Transport;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.registry.RegistryReference;
import hoist.engine.transport.registry.RegistryTransport;

import java.io.IOException;
import java.util.Optional;

/**
 * An image stream tag in an OpenShift registry. It is read and written as
 * {@code docker://HOST/NAMESPACE/STREAM:TAG}, authenticated as the user of the current context of
 * the kubeconfig ({@code $KUBECONFIG}, {@code $HOME/.kube/config}): the user's bearer token is the
 * registry password, under the user name {@code user} that {@code oc registry login} sends (the
 * registry checks only the token); a user with Basic credentials instead sends those.
 * Credentials given with {@code --creds} take precedence, as they do for {@code docker://}.
 * Unlike containers/image, which resolves a source through the image stream API, a source is read
 * from the registry by its tag.
 *
 * @param transport the {@code atomic} transport
 * @param name      {@code HOST/NAMESPACE/STREAM:TAG}
 * @see <a href="https://github.com/containers/image/blob/main/openshift/openshift.go">containers/image's openshift client</a>
 * @see <a href="https://github.com/openshift/oc/blob/master/pkg/cli/registry/login/login.go">oc registry login</a>
 */
public record AtomicReference(Transport transport, DockerReference name) implements ImageReference {

    /** The user name sent with a kubeconfig user's token, as {@code oc registry login} sends it. */
    public static final String TOKEN_USER = "user";

    @Override
    public String details() {
        return name.toString();
    }

    @Override
    public Optional<DockerReference> dockerReference() {
        return Optional.of(name);
    }

    /** The registry reference this stream tag is reached through. */
    public RegistryReference registryReference() {
        return new RegistryReference(new RegistryTransport(), name);
    }

    /**
     * The registry credentials of {@code config}'s current user.
     *
     * @throws HoistException naming the kubeconfig when the user has neither a token nor Basic credentials
     */
    public static Credentials credentials(KubeConfig config) {
        KubeConfig.User user = config.user();
        if (user.token() != null) {
            return new Credentials(TOKEN_USER, user.token());
        }
        if (user.username() != null && user.password() != null) {
            return new Credentials(user.username(), user.password());
        }
        throw new HoistException("the kubeconfig " + config.file() + ": user \"" + user.name() + "\" of context \""
                + config.context() + "\" has no token for the registry (log in with oc login)");
    }

    /** {@code context} with this reference's registry credentials: {@code --creds}, else the kubeconfig's. */
    private TransportContext authenticated(TransportContext context) {
        if (context.registry().credentials() != null) {
            return context;
        }
        Credentials credentials = credentials(KubeConfig.current());
        return context.withRegistry(context.registry().withCredentials(credentials));
    }

    @Override
    public ImageSource openSource(TransportContext context) throws IOException {
        return registryReference().openSource(authenticated(context));
    }

    @Override
    public ImageDestination openDestination(TransportContext context) throws IOException {
        return registryReference().openDestination(authenticated(context));
    }

    @Override
    public void deleteImage(TransportContext context) throws IOException {
        registryReference().deleteImage(authenticated(context));
    }

    @Override
    public String toString() {
        return text();
    }
}
