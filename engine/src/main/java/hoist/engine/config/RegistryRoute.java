package hoist.engine.config;

import hoist.engine.HoistException;
import hoist.engine.transport.DockerReference;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a registry reference really goes, decided before any request: refused if the registry is
 * blocked; rewritten to the {@code [[registry]]} location; with its mirrors (tried first, for
 * reading) and whether each endpoint is insecure.
 */
public record RegistryRoute(DockerReference primary, boolean primaryInsecure, List<Endpoint> mirrors) {

    /** One place the image can be read from. */
    public record Endpoint(DockerReference reference, boolean insecure) {
    }

    /** Decides the route of {@code name}; a blocked registry is an error naming it and what blocks it. */
    public static RegistryRoute of(DockerReference name, RegistriesConf conf, RegistrySources sources) {
        String refusal = sources.refusal(name.domain());
        if (refusal != null) {
            throw new HoistException(name + ": " + refusal);
        }
        var entry = conf.find(name.name());
        if (entry.isPresent() && entry.get().blocked()) {
            throw new HoistException(name + ": registry " + entry.get().prefix() + " is blocked in registries.conf");
        }
        DockerReference primary = entry.map(e -> rewrite(name, e.prefix(), e.location())).orElse(name);
        boolean insecure = entry.map(RegistriesConf.RegistryEntry::insecure).orElse(false)
                || sources.insecure().contains(primary.domain());
        String rewrittenRefusal = sources.refusal(primary.domain());
        if (rewrittenRefusal != null) {
            throw new HoistException(name + ": " + rewrittenRefusal);
        }
        List<Endpoint> mirrors = new ArrayList<>();
        entry.ifPresent(e -> e.mirrors().forEach(m -> mirrors.add(new Endpoint(rewrite(name, e.prefix(), m.location()),
                m.insecure() || sources.insecure().contains(DockerReference.parse(m.location() + "/x").domain())))));
        return new RegistryRoute(primary, insecure, mirrors);
    }

    /** Replaces the matched prefix of the name with {@code location}, keeping the rest, the tag and the digest. */
    static DockerReference rewrite(DockerReference name, String prefix, String location) {
        if (prefix.startsWith("*.") || prefix.equals(location)) {
            return name;
        }
        String rest = name.name().substring(prefix.length());
        String text = location + rest + (name.tag() != null ? ":" + name.tag() : "") + (name.digest() != null ? "@" + name.digest() : "");
        return DockerReference.parse(text);
    }

    /** Endpoints to read from, in order: the mirrors, then the registry itself. */
    public List<Endpoint> readOrder() {
        List<Endpoint> order = new ArrayList<>(mirrors);
        order.add(new Endpoint(primary, primaryInsecure));
        return order;
    }
}
