package hoist.engine.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds credentials for a repository as podman does: an explicit {@code --creds}; else the auth
 * file ({@code --authfile}, {@code REGISTRY_AUTH_FILE}, or {@code $XDG_RUNTIME_DIR/containers/auth.json}),
 * its most specific entry first ({@code host/ns/repo}, {@code host/ns}, {@code host}); else docker's
 * {@code $HOME/.docker/config.json}; a file's credential helper when it names one.
 */
public final class CredentialLookup {

    private final Credentials explicit;
    private final Path authFile;

    public CredentialLookup(Credentials explicit, Path authFile) {
        this.explicit = explicit;
        this.authFile = authFile;
    }

    /** The auth file login writes to: {@code --authfile}, {@code REGISTRY_AUTH_FILE}, or the runtime one. */
    public static Path defaultAuthFile(Path explicit) {
        if (explicit != null) {
            return explicit;
        }
        String env = System.getenv("REGISTRY_AUTH_FILE");
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty()) {
            return Path.of(runtime, "containers", "auth.json");
        }
        return Path.of("/run/containers/" + uid() + "/auth.json");
    }

    private static String uid() {
        try {
            Object uid = java.nio.file.Files.getAttribute(Path.of(System.getProperty("user.home")), "unix:uid");
            return String.valueOf(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "0";
        }
    }

    /** Credentials for {@code registry} (host[:port]) and {@code repository} (path), if any are known. */
    public Optional<Credentials> find(String registry, String repository) throws IOException {
        if (explicit != null) {
            return Optional.of(explicit);
        }
        List<Path> files = new ArrayList<>();
        files.add(defaultAuthFile(authFile));
        if (authFile == null) {
            files.add(Path.of(System.getProperty("user.home"), ".docker", "config.json"));
        }
        for (Path file : files) {
            AuthFile auth = AuthFile.read(file);
            for (String key : keys(registry, repository)) {
                Optional<Credentials> stored = auth.stored(key);
                if (stored.isPresent()) {
                    return stored;
                }
            }
            Optional<String> helper = auth.helper(registry);
            if (helper.isPresent()) {
                Optional<Credentials> fromHelper = new CredentialHelper(helper.get()).get(registry);
                if (fromHelper.isPresent()) {
                    return fromHelper;
                }
            }
        }
        return Optional.empty();
    }

    /** {@code host/a/b/c}, {@code host/a/b}, {@code host/a}, {@code host}: most specific first. */
    static List<String> keys(String registry, String repository) {
        List<String> keys = new ArrayList<>();
        if (repository != null) {
            String path = registry + "/" + repository;
            while (path.contains("/")) {
                keys.add(path);
                path = path.substring(0, path.lastIndexOf('/'));
            }
        }
        keys.add(registry);
        return keys;
    }
}
