package hoist.engine.transport;

import hoist.engine.HoistException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The known transports, and the parser of {@code transport:details} text. Transports register
 * through {@link ServiceLoader}, so the engine's own and any added later are found alike.
 */
public final class Transports {

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

    public static Set<String> names() {
        return BY_NAME.keySet();
    }

    public static Transport get(String name) {
        Transport t = BY_NAME.get(name);
        if (t == null) {
            throw HoistException.usage("unknown transport \"" + name + "\": expected one of " + String.join(", ", names()));
        }
        return t;
    }

    /**
     * Parses {@code transport:details}. Text without a known transport prefix is parsed by
     * {@code defaultTransport} as a whole (a bare image name).
     */
    public static ImageReference parse(String text, String defaultTransport) {
        if (text == null || text.isBlank()) {
            throw HoistException.usage("empty image reference");
        }
        int colon = text.indexOf(':');
        if (colon > 0) {
            String prefix = text.substring(0, colon);
            Transport t = BY_NAME.get(prefix);
            if (t != null) {
                return t.parse(text.substring(colon + 1));
            }
            if (prefix.matches("[a-z][a-z0-9-]*") && !text.substring(colon + 1).matches("[0-9]+(/.*)?|[\\w][\\w.-]*(@.*)?")
                    && !prefix.contains(".")) {
                // "foo:bar/baz" cannot be a name:tag, so "foo" was meant as a transport.
                throw HoistException.usage("unknown transport \"" + prefix + "\" in \"" + text + "\": expected one of "
                        + String.join(", ", names()));
            }
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
}
