package hoist.engine.transport.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import hoist.engine.HoistException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a containers-storage store is and how it is kept: the graph driver ({@code vfs} or
 * {@code overlay}), the graph root (persistent data), the run root (locks and state that a reboot
 * clears) and the driver's options.
 *
 * @param driver    the graph driver name
 * @param graphRoot the persistent root, absolute
 * @param runRoot   the run-time root, absolute
 * @param options   driver options ({@code overlay.mount_program=...}), maybe empty
 * @see <a href="https://github.com/containers/storage/blob/main/docs/containers-storage.conf.5.md">containers-storage.conf(5)</a>
 */
public record StoreOptions(String driver, Path graphRoot, Path runRoot, List<String> options) {

    /** The drivers this transport reads and writes. */
    public static final List<String> DRIVERS = List.of("overlay", "vfs");

    public StoreOptions {
        options = List.copyOf(options);
    }

    /**
     * The store podman and buildah would use here: {@code storage.conf} from
     * {@code CONTAINERS_STORAGE_CONF}, else (rootless) {@code $XDG_CONFIG_HOME/containers/storage.conf},
     * else {@code /etc/containers/storage.conf}, else {@code /usr/share/containers/storage.conf};
     * unset values take the rootful ({@code /var/lib/containers/storage}, {@code /run/containers/storage})
     * or rootless ({@code $XDG_DATA_HOME/containers/storage}, {@code $XDG_RUNTIME_DIR/containers})
     * defaults; {@code STORAGE_DRIVER} and {@code STORAGE_OPTS} override the driver and options.
     * Without a configured driver, the one whose directory exists in the graph root, else overlay.
     *
     * @throws HoistException when the configuration file cannot be read
     */
    public static StoreOptions defaults() {
        return defaults(System.getenv());
    }

    static StoreOptions defaults(Map<String, String> env) {
        boolean rootless = uid() != 0;
        Path home = Path.of(System.getProperty("user.home"));
        Path conf = configFile(env, rootless, home);
        String driver = "";
        String graphRoot = "";
        String runRoot = "";
        List<String> options = new ArrayList<>();
        if (conf != null) {
            JsonNode storage = readConf(conf).path("storage");
            driver = storage.path("driver").asText("");
            graphRoot = storage.path("graphroot").asText("");
            runRoot = storage.path("runroot").asText("");
            if (rootless && !storage.path("rootless_storage_path").asText("").isEmpty()) {
                graphRoot = storage.path("rootless_storage_path").asText()
                        .replace("$HOME", home.toString()).replace("$UID", Long.toString(uid()));
            } else if (rootless && !isUserConf(conf, env, home)) {
                graphRoot = ""; // the system file's paths are root's; rootless users keep their own
                runRoot = "";
            }
            JsonNode opts = storage.path("options");
            for (String key : List.of("mount_program", "mountopt")) {
                String value = opts.path("overlay").path(key).asText(opts.path(key).asText(""));
                if (!value.isEmpty()) {
                    options.add("overlay." + key + "=" + value);
                }
            }
        }
        if (graphRoot.isEmpty()) {
            graphRoot = rootless ? xdg(env, "XDG_DATA_HOME", home.resolve(".local/share")).resolve("containers/storage").toString()
                    : "/var/lib/containers/storage";
        }
        if (runRoot.isEmpty()) {
            String runtime = env.get("XDG_RUNTIME_DIR");
            runRoot = !rootless ? "/run/containers/storage"
                    : runtime != null && !runtime.isEmpty() ? Path.of(runtime, "containers").toString()
                    : "/tmp/containers-user-" + uid() + "/containers";
        }
        if (env.get("STORAGE_DRIVER") != null && !env.get("STORAGE_DRIVER").isEmpty()) {
            driver = env.get("STORAGE_DRIVER");
        }
        if (env.get("STORAGE_OPTS") != null && !env.get("STORAGE_OPTS").isEmpty()) {
            options = List.of(env.get("STORAGE_OPTS").split(","));
        }
        Path root = Path.of(graphRoot).toAbsolutePath().normalize();
        if (driver.isEmpty()) {
            driver = detectDriver(root);
        }
        return new StoreOptions(driver, root, Path.of(runRoot).toAbsolutePath().normalize(), options);
    }

    /** The driver whose data exists under {@code graphRoot}, else overlay (containers/storage's first choice). */
    static String detectDriver(Path graphRoot) {
        for (String d : DRIVERS) {
            if (Files.exists(graphRoot.resolve(d + "-layers").resolve("layers.json"))) {
                return d;
            }
        }
        return "overlay";
    }

    private static Path configFile(Map<String, String> env, boolean rootless, Path home) {
        String explicit = env.get("CONTAINERS_STORAGE_CONF");
        if (explicit != null && !explicit.isEmpty()) {
            Path p = Path.of(explicit);
            if (!Files.isRegularFile(p)) {
                throw new HoistException("CONTAINERS_STORAGE_CONF: " + p + ": no such file");
            }
            return p;
        }
        List<Path> candidates = new ArrayList<>();
        if (rootless) {
            candidates.add(xdg(env, "XDG_CONFIG_HOME", home.resolve(".config")).resolve("containers/storage.conf"));
        }
        candidates.add(Path.of("/etc/containers/storage.conf"));
        candidates.add(Path.of("/usr/share/containers/storage.conf"));
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    }

    private static boolean isUserConf(Path conf, Map<String, String> env, Path home) {
        return conf.startsWith(home) || (env.get("CONTAINERS_STORAGE_CONF") != null);
    }

    private static JsonNode readConf(Path conf) {
        try {
            return new TomlMapper().readTree(Files.readAllBytes(conf));
        } catch (IOException e) {
            throw new HoistException(conf + ": cannot read the storage configuration: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static Path xdg(Map<String, String> env, String name, Path fallback) {
        String value = env.get(name);
        return value != null && !value.isEmpty() ? Path.of(value) : fallback;
    }

    static long uid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name")) ? 0 : 1000;
        }
    }

    /** The value of a driver option ({@code overlay.mount_program}), or null. */
    public String option(String key) {
        for (String o : options) {
            int eq = o.indexOf('=');
            String k = eq < 0 ? o : o.substring(0, eq);
            if (k.equals(key) || k.equals(driver + "." + key)) {
                return eq < 0 ? "" : o.substring(eq + 1);
            }
        }
        return null;
    }
}
