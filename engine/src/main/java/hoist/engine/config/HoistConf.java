package hoist.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import hoist.engine.HoistException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * hoist's own settings file, TOML like containers.conf: {@code $HOIST_CONFIG}, else
 * {@code $XDG_CONFIG_HOME/hoist/hoist.conf} ({@code ~/.config/hoist/hoist.conf}). A missing file
 * means every default. Keys, all optional:
 * <pre>
 * storage = "containers-storage"   # which store a bare image name means: "local" (default) or "containers-storage"
 * root = "/srv/hoist/storage"      # the embedded local store's directory
 * </pre>
 * Command-line options and environment variables ({@code --storage}/{@code HOIST_STORAGE},
 * {@code --root}/{@code HOIST_ROOT}) take precedence over the file.
 *
 * @param storage the default store's transport name, or null when the file does not set it
 * @param root    the embedded store's directory, or null when the file does not set it
 */
public record HoistConf(String storage, Path root) {

    /** The values {@code storage} may take: the transport a bare image name is read from. */
    public static final Set<String> STORAGES = Set.of("local", "containers-storage");

    public static HoistConf none() {
        return new HoistConf(null, null);
    }

    /** The user's file, or {@link #none()} when there is none; a bad file is a usage error naming it. */
    public static HoistConf load() {
        return location(System.getenv()).map(HoistConf::read).orElse(none());
    }

    /** Where the file is looked for; empty when no home can be found. */
    static Optional<Path> location(Map<String, String> env) {
        String explicit = env.get("HOIST_CONFIG");
        if (explicit != null && !explicit.isEmpty()) {
            return Optional.of(Path.of(explicit));
        }
        String config = env.get("XDG_CONFIG_HOME");
        if (config != null && !config.isEmpty()) {
            return Optional.of(Path.of(config, "hoist", "hoist.conf"));
        }
        String home = System.getProperty("user.home");
        return home == null ? Optional.empty() : Optional.of(Path.of(home, ".config", "hoist", "hoist.conf"));
    }

    /** Reads {@code file}; a missing file is {@link #none()}. */
    static HoistConf read(Path file) {
        if (!Files.isRegularFile(file)) {
            return none();
        }
        JsonNode root;
        try {
            // made here, not at class load: most runs have no file, and the TOML reader costs start-up
            root = new TomlMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw HoistException.usage(file + " is not valid TOML: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        String storage = text(root, "storage", file);
        if (storage != null) {
            storage = checkStorage(storage, file.toString());
        }
        String rootDir = text(root, "root", file);
        return new HoistConf(storage, rootDir == null ? null : Path.of(rootDir));
    }

    /**
     * The store a bare image name means: {@code HOIST_STORAGE}, else this file's {@code storage},
     * else {@code local}.
     */
    public String defaultStorage() {
        String env = System.getenv("HOIST_STORAGE");
        if (env != null && !env.isEmpty()) {
            return checkStorage(env, "HOIST_STORAGE");
        }
        return storage != null ? storage : "local";
    }

    /**
     * {@code value} if it names a store, else a usage error saying where it came from
     * ({@code origin}: a file, {@code --storage}, {@code HOIST_STORAGE}).
     */
    public static String checkStorage(String value, String origin) {
        if (!STORAGES.contains(value)) {
            throw HoistException.usage(origin + ": storage \"" + value + "\" is not one of local, containers-storage");
        }
        return value;
    }

    private static String text(JsonNode root, String key, Path file) {
        JsonNode value = root.get(key);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw HoistException.usage(file + ": \"" + key + "\" must be a string");
        }
        return value.asText();
    }
}
