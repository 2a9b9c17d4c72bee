package hoist.engine.sign;

import hoist.engine.transport.DockerReference;

import java.util.ArrayList;
import java.util.List;

/**
 * The scopes a Docker reference falls in, most specific first, as containers/image computes them
 * for policy.json and registries.d: the reference itself ({@code host/path:tag} or
 * {@code host/path@digest}), the repository, each parent namespace, the registry, then wildcard
 * domains ({@code *.example.com} for {@code a.example.com}).
 *
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-policy.json.5.md">containers-policy.json(5), docker scopes</a>
 */
final class DockerScopes {

    private DockerScopes() {
    }

    static List<String> of(DockerReference ref) {
        List<String> scopes = new ArrayList<>();
        if (ref.tag() != null || ref.digest() != null) {
            scopes.add(identity(ref));
        }
        String name = ref.name();
        while (true) {
            scopes.add(name);
            int slash = name.lastIndexOf('/');
            if (slash < 0) {
                break;
            }
            name = name.substring(0, slash);
        }
        String host = ref.domain();
        int colon = host.lastIndexOf(':');
        if (colon > 0 && !host.endsWith("]")) {
            host = host.substring(0, colon);
        }
        for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
            scopes.add("*" + host.substring(dot));
        }
        return scopes;
    }

    /** {@code host/path:tag}, or {@code host/path@digest} when a digest is given (the tag dropped, as containers/image does). */
    static String identity(DockerReference ref) {
        if (ref.digest() != null) {
            return ref.name() + "@" + ref.digest();
        }
        return ref.name() + ":" + (ref.tag() == null ? "latest" : ref.tag());
    }
}
