package hoist.engine.compress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import hoist.engine.HoistException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The compression defaults of {@code containers.conf}'s {@code [engine]} table, read where
 * podman reads them: {@code compression_format}, {@code compression_level} and
 * {@code add_compression} (a list of formats), each null or empty when no file sets it.
 *
 * <p>Files, later ones overriding earlier ones for the keys they set: {@code $CONTAINERS_CONF}
 * alone when that is set; otherwise {@code /usr/share/containers/containers.conf},
 * {@code /etc/containers/containers.conf} and {@code $XDG_CONFIG_HOME/containers/containers.conf}
 * (default {@code ~/.config}), each followed by the {@code *.conf} of its {@code .d} directory in
 * name order; then {@code $CONTAINERS_CONF_OVERRIDE}.
 *
 * @param format        {@code compression_format}, or null
 * @param level         {@code compression_level}, or null
 * @param addCompression {@code add_compression}, in order; empty when unset
 * @see <a href="https://github.com/containers/common/blob/main/docs/containers.conf.5.md">containers.conf(5)</a>
 */
public record CompressionDefaults(Compression format, Integer level, List<Compression> addCompression) {

    private static final TomlMapper TOML = new TomlMapper();

    public CompressionDefaults {
        addCompression = List.copyOf(addCompression);
    }

    /** Nothing set. */
    public static CompressionDefaults none() {
        return new CompressionDefaults(null, null, List.of());
    }

    /** Reads the files of this process's environment. */
    public static CompressionDefaults load() {
        return load(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * Reads the files that {@code env} and {@code home} point to.
     *
     * @throws HoistException naming the file when one is not valid TOML or sets a value of the wrong kind,
     *                        or when {@code CONTAINERS_CONF} names a file that does not exist
     */
    public static CompressionDefaults load(Map<String, String> env, Path home) {
        List<Path> files = new ArrayList<>();
        String explicit = env.get("CONTAINERS_CONF");
        if (explicit != null && !explicit.isEmpty()) {
            if (!Files.isRegularFile(Path.of(explicit))) {
                throw new HoistException(explicit + " (CONTAINERS_CONF): no such file");
            }
            files.add(Path.of(explicit));
        } else {
            String xdg = env.get("XDG_CONFIG_HOME");
            Path user = (xdg != null && !xdg.isEmpty() ? Path.of(xdg) : home.resolve(".config")).resolve("containers");
            for (Path dir : List.of(Path.of("/usr/share/containers"), Path.of("/etc/containers"), user)) {
                files.add(dir.resolve("containers.conf"));
                files.addAll(dropIns(dir.resolve("containers.conf.d")));
            }
        }
        String override = env.get("CONTAINERS_CONF_OVERRIDE");
        if (override != null && !override.isEmpty()) {
            files.add(Path.of(override));
        }
        CompressionDefaults defaults = none();
        for (Path file : files) {
            if (Files.isRegularFile(file)) {
                defaults = defaults.overriddenBy(parse(file));
            }
        }
        return defaults;
    }

    private CompressionDefaults overriddenBy(CompressionDefaults later) {
        return new CompressionDefaults(later.format != null ? later.format : format,
                later.level != null ? later.level : level,
                later.addCompression.isEmpty() ? addCompression : later.addCompression);
    }

    private static List<Path> dropIns(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().endsWith(".conf")).sorted().toList();
        } catch (IOException e) {
            throw new HoistException(dir + ": " + e.getMessage(), e);
        }
    }

    /** The compression keys of one file's {@code [engine]} table. */
    static CompressionDefaults parse(Path file) {
        JsonNode engine;
        try {
            engine = TOML.readTree(file.toFile()).path("engine");
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JacksonException j ? j.getOriginalMessage() : e.getMessage();
            throw new HoistException(file + ": not valid TOML: " + String.valueOf(why).lines().findFirst().orElse(""), e);
        }
        try {
            Compression format = null;
            JsonNode f = engine.path("compression_format");
            if (!f.isMissingNode()) {
                format = Compression.parse(text(f, "compression_format"));
            }
            Integer level = null;
            JsonNode l = engine.path("compression_level");
            if (!l.isMissingNode()) {
                if (!l.canConvertToInt() || !l.isIntegralNumber()) {
                    throw new HoistException("compression_level must be a number, not " + l);
                }
                level = l.intValue();
            }
            List<Compression> add = new ArrayList<>();
            JsonNode a = engine.path("add_compression");
            if (!a.isMissingNode()) {
                if (!a.isArray()) {
                    throw new HoistException("add_compression must be a list of formats, not " + a);
                }
                for (JsonNode item : a) {
                    add.add(Compression.parse(text(item, "add_compression")));
                }
            }
            return new CompressionDefaults(format, level, add);
        } catch (HoistException e) {
            throw new HoistException(file + ": [engine] " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String key) {
        if (!node.isTextual()) {
            throw new HoistException(key + " must be a string, not " + node);
        }
        return node.asText();
    }
}
