package hoist.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import hoist.engine.HoistException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * registries.conf (version 2) as containers-image reads it: the main file, then each
 * {@code *.conf} of its drop-in directory in name order, later files overriding earlier ones for
 * the keys they set ({@code [[registry]]} entries by prefix).
 */
public record RegistriesConf(List<String> unqualifiedSearch, String shortNameMode, Map<String, String> aliases,
                             List<RegistryEntry> registries) {

    private static final TomlMapper TOML = new TomlMapper();

    /** One {@code [[registry]]} table. */
    public record RegistryEntry(String prefix, String location, boolean insecure, boolean blocked, List<Mirror> mirrors) {
    }

    /** One {@code [[registry.mirror]]} table. */
    public record Mirror(String location, boolean insecure) {
    }

    public static RegistriesConf empty() {
        return new RegistriesConf(List.of(), "enforcing", Map.of(), List.of());
    }

    /**
     * Loads the configuration: {@code explicit} (--registries-conf or CONTAINERS_REGISTRIES_CONF)
     * alone with its {@code .d} directory, or the user's file if there is one, else the system's,
     * each with its drop-ins.
     */
    public static RegistriesConf load(Path explicit) {
        List<Path> files = new ArrayList<>();
        if (explicit != null) {
            files.add(explicit);
            files.addAll(dropIns(Path.of(explicit + ".d")));
        } else {
            Path user = Path.of(System.getProperty("user.home"), ".config", "containers", "registries.conf");
            Path system = Path.of("/etc/containers/registries.conf");
            files.add(Files.exists(user) ? user : system);
            files.addAll(dropIns(Path.of("/etc/containers/registries.conf.d")));
            files.addAll(dropIns(Path.of(System.getProperty("user.home"), ".config", "containers", "registries.conf.d")));
        }
        RegistriesConf conf = empty();
        for (Path file : files) {
            if (Files.isRegularFile(file)) {
                conf = conf.overriddenBy(parse(file));
            } else if (file.equals(explicit)) {
                throw new HoistException(file + ": no such registries.conf");
            }
        }
        return conf;
    }

    /** The explicit file: the option, else {@code CONTAINERS_REGISTRIES_CONF}, else none. */
    public static Path explicitFile(Path option) {
        if (option != null) {
            return option;
        }
        String env = System.getenv("CONTAINERS_REGISTRIES_CONF");
        return env == null || env.isEmpty() ? null : Path.of(env);
    }

    private static List<Path> dropIns(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().endsWith(".conf")).sorted(Comparator.comparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw new HoistException(dir + ": " + e.getMessage());
        }
    }

    static RegistriesConf parse(Path file) {
        JsonNode root;
        try {
            root = TOML.readTree(file.toFile());
        } catch (IOException e) {
            throw new HoistException(file + " is not valid TOML: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        checkTypes(file, root);
        List<String> search = null;
        if (root.has("unqualified-search-registries")) {
            search = new ArrayList<>();
            for (JsonNode r : root.path("unqualified-search-registries")) {
                search.add(r.asText());
            }
        }
        Map<String, String> aliases = new LinkedHashMap<>();
        root.path("aliases").fields().forEachRemaining(e -> aliases.put(e.getKey(), e.getValue().asText()));
        List<RegistryEntry> registries = new ArrayList<>();
        for (JsonNode r : root.path("registry")) {
            String location = r.path("location").asText("");
            String prefix = r.path("prefix").asText(location);
            if (prefix.isEmpty()) {
                throw new HoistException(file + ": a [[registry]] table needs a location or a prefix");
            }
            List<Mirror> mirrors = new ArrayList<>();
            for (JsonNode m : r.path("mirror")) {
                mirrors.add(new Mirror(m.path("location").asText(), m.path("insecure").asBoolean(false)));
            }
            registries.add(new RegistryEntry(prefix, location.isEmpty() ? prefix : location, r.path("insecure").asBoolean(false),
                    r.path("blocked").asBoolean(false), mirrors));
        }
        String mode = root.has("short-name-mode") ? root.path("short-name-mode").asText() : null;
        return new RegistriesConf(search, mode, aliases, registries);
    }

    /**
     * A value of the wrong type is an error naming the key, as containers/image's TOML decoding
     * makes it; so is a file that mixes the v1 tables ({@code [registries.search]}) with v2 keys.
     *
     * @see <a href="https://github.com/containers/image/blob/main/docs/containers-registries.conf.5.md">containers-registries.conf(5)</a>
     */
    private static void checkTypes(Path file, JsonNode root) {
        if (root == null || !root.isObject()) {
            return;
        }
        stringList(file, root, "unqualified-search-registries", "");
        if (root.has("short-name-mode") && !root.path("short-name-mode").isTextual()) {
            throw new HoistException(file + ": short-name-mode must be a string");
        }
        if (root.has("aliases")) {
            JsonNode aliases = root.path("aliases");
            if (!aliases.isObject()) {
                throw new HoistException(file + ": [aliases] must be a table");
            }
            aliases.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    throw new HoistException(file + ": alias \"" + e.getKey() + "\" must be a string");
                }
            });
        }
        if (root.has("registry")) {
            JsonNode registries = root.path("registry");
            if (!registries.isArray()) {
                throw new HoistException(file + ": registry must be an array of tables ([[registry]])");
            }
            for (JsonNode r : registries) {
                if (!r.isObject()) {
                    throw new HoistException(file + ": registry must be an array of tables ([[registry]])");
                }
                for (String key : List.of("location", "prefix")) {
                    if (r.has(key) && !r.path(key).isTextual()) {
                        throw new HoistException(file + ": [[registry]] " + key + " must be a string");
                    }
                }
                for (String key : List.of("insecure", "blocked")) {
                    if (r.has(key) && !r.path(key).isBoolean()) {
                        throw new HoistException(file + ": [[registry]] " + key + " must be true or false");
                    }
                }
                if (r.has("mirror") && !r.path("mirror").isArray()) {
                    throw new HoistException(file + ": mirror must be an array of tables ([[registry.mirror]])");
                }
            }
        }
        if (root.has("registries") && (root.has("registry") || root.has("unqualified-search-registries"))) {
            throw new HoistException(file + " mixes the v1 format ([registries.search], [registries.insecure], "
                    + "[registries.block]) with the v2 format; use one");
        }
    }

    private static void stringList(Path file, JsonNode table, String key, String where) {
        if (!table.has(key)) {
            return;
        }
        JsonNode list = table.path(key);
        if (!list.isArray()) {
            throw new HoistException(file + ": " + where + key + " must be an array of strings");
        }
        for (JsonNode item : list) {
            if (!item.isTextual()) {
                throw new HoistException(file + ": " + where + key + " must be an array of strings");
            }
        }
    }

    /** This configuration with {@code later}'s settings laid over it (nulls in {@code later} keep ours). */
    private RegistriesConf overriddenBy(RegistriesConf later) {
        Map<String, RegistryEntry> byPrefix = new LinkedHashMap<>();
        registries.forEach(r -> byPrefix.put(r.prefix(), r));
        later.registries.forEach(r -> byPrefix.put(r.prefix(), r));
        Map<String, String> allAliases = new LinkedHashMap<>(aliases);
        allAliases.putAll(later.aliases);
        return new RegistriesConf(later.unqualifiedSearch != null ? later.unqualifiedSearch : unqualifiedSearch,
                later.shortNameMode != null ? later.shortNameMode : shortNameMode, allAliases, List.copyOf(byPrefix.values()));
    }

    /**
     * The {@code [[registry]]} entry for a name ({@code host/path}): the longest prefix that is the
     * name itself or a parent of it; {@code *.example.com} prefixes match hosts by their domain.
     */
    public Optional<RegistryEntry> find(String name) {
        RegistryEntry best = null;
        for (RegistryEntry entry : registries) {
            if (matches(entry.prefix(), name) && (best == null || entry.prefix().length() > best.prefix().length())) {
                best = entry;
            }
        }
        return Optional.ofNullable(best);
    }

    static boolean matches(String prefix, String name) {
        if (prefix.startsWith("*.")) {
            String host = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
            return host.endsWith(prefix.substring(1));
        }
        return name.equals(prefix) || name.startsWith(prefix + "/");
    }
}
