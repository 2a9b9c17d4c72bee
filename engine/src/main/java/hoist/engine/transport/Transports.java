package hoist.engine.transport;

import hoist.engine.HoistException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The known transports, and the one parser of {@code transport:details} text that every command
 * and the DSL use. Transports register through {@link ServiceLoader}, so the engine's own and any
 * added later are found alike.
 *
 * <p>Text is read as containers/image's {@code alltransports.ParseImageName} reads it, with
 * podman's fallback for bare names: the part before the first colon names a transport when one is
 * registered under that name; otherwise the whole text is an image name ({@code app:1},
 * {@code localhost:5000/app}) for the caller to resolve. Each kind of mistake has its own error:
 * <ul>
 *   <li>a transport of the field that this build cannot open ({@code tarball:x} while no {@code tarball}
 *       transport is registered): {@link HoistException} (exit 1), naming the transport;</li>
 *   <li>an unknown transport ({@code nonsense:/a}, which cannot be an image name either):
 *       a {@link HoistException#usage usage} error listing the registered ones;</li>
 *   <li>a bad reference of a registered transport ({@code oci:}, {@code docker:x}): the
 *       transport's own usage error, quoting the reference.</li>
 * </ul>
 *
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-transports.5.md">containers-transports(5)</a>
 */
public final class Transports {

    /**
     * Every transport name containers/image and its tools know (and hoist's {@code local}): a
     * prefix from this list that no registered transport answers is a transport this build cannot
     * open yet, not an image name.
     */
    private static final List<String> FIELD_NAMES = List.of("containers-storage", "dir", "docker", "docker-archive",
            "docker-daemon", "oci", "oci-archive", "ostree", "sif", "tarball", "atomic", "local");

    /** A prefix that could be a transport's name. */
    private static final Pattern TRANSPORT_NAME = Pattern.compile("[a-z][a-z0-9-]*");

    private static final Map<String, Transport> BY_NAME = load();

    private Transports() {
    }

    private static Map<String, Transport> load() {
        Map<String, Transport> byName = new LinkedHashMap<>();
        for (Transport t : ServiceLoader.load(Transport.class, Transports.class.getClassLoader())) {
            byName.put(t.name(), t);
        }
        return byName;
    }

    /** The names of the registered transports, in registration order. */
    public static Set<String> names() {
        return BY_NAME.keySet();
    }

    /**
     * The registered transport {@code name}.
     *
     * @throws HoistException when it is a transport this build cannot open, or a usage error when
     *                        no transport has that name
     */
    public static Transport get(String name) {
        Transport t = BY_NAME.get(name);
        if (t == null) {
            throw FIELD_NAMES.contains(name) ? unavailable(name, name + ":") : unknown(name, null);
        }
        return t;
    }

    /**
     * The reference {@code text} names with an explicit transport prefix, or empty when it names
     * none (a bare image name, left to the caller: a local image, a registry name). Throws as the
     * class describes when the prefix is a transport that cannot be used or the reference is bad.
     */
    public static Optional<ImageReference> parseExplicit(String text) {
        if (text == null || text.isBlank()) {
            throw HoistException.usage("empty image reference");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String prefix = text.substring(0, colon);
        Transport t = BY_NAME.get(prefix);
        if (t != null) {
            return Optional.of(t.parse(text.substring(colon + 1)));
        }
        if (FIELD_NAMES.contains(prefix)) {
            throw unavailable(prefix, text);
        }
        if (TRANSPORT_NAME.matcher(prefix).matches() && !isImageName(text)) {
            throw unknown(prefix, text);
        }
        return Optional.empty();
    }

    /**
     * Parses {@code transport:details}. Text without a transport prefix is parsed by
     * {@code defaultTransport} as a whole (a bare image name); with a null default it is a usage
     * error.
     */
    public static ImageReference parse(String text, String defaultTransport) {
        Optional<ImageReference> explicit = parseExplicit(text);
        if (explicit.isPresent()) {
            return explicit.get();
        }
        if (defaultTransport == null) {
            throw HoistException.usage("\"" + text + "\" names no transport: expected TRANSPORT:DETAILS with one of "
                    + String.join(", ", names()));
        }
        return get(defaultTransport).parse(text);
    }

    /** Parses a reference that must name its transport. */
    public static ImageReference parse(String text) {
        return parse(text, null);
    }

    /** Whether the text reads as an image name ({@code app:1}, {@code localhost:5000/app:1}) rather than a transport's reference. */
    private static boolean isImageName(String text) {
        try {
            DockerReference.parse(text);
            return true;
        } catch (HoistException e) {
            return false;
        }
    }

    private static HoistException unavailable(String name, String text) {
        return new HoistException("\"" + text + "\": the " + name + " transport is not available in this build of hoist"
                + " (it has: " + String.join(", ", names()) + ")");
    }

    private static HoistException unknown(String name, String text) {
        return HoistException.usage("unknown transport \"" + name + "\"" + (text != null ? " in \"" + text + "\"" : "")
                + ": expected one of " + String.join(", ", names()));
    }
}
