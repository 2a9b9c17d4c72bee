package hoist.engine.config;

import hoist.engine.HoistException;
import hoist.engine.transport.DockerReference;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a short image name ({@code alpine}, {@code team/app:1}) into the registry names to try, as
 * podman does: a registries.conf alias first; else each unqualified-search registry in order.
 * In the default {@code enforcing} mode several candidates are an error, since there is no
 * terminal prompt to choose from.
 */
public final class ShortNames {

    private ShortNames() {
    }

    public static List<DockerReference> candidates(String text, RegistriesConf conf) {
        if (DockerReference.isQualified(text)) {
            return List.of(DockerReference.parse(text).withDefaultTag());
        }
        DockerReference parsed = DockerReference.parse("short.invalid/" + text);
        String suffix = (parsed.tag() != null ? ":" + parsed.tag() : "") + (parsed.digest() != null ? "@" + parsed.digest() : "");
        String alias = conf.aliases().get(parsed.path());
        if (alias != null) {
            return List.of(DockerReference.parse(alias + suffix).withDefaultTag());
        }
        List<String> search = conf.unqualifiedSearch() == null ? List.of() : conf.unqualifiedSearch();
        if (search.isEmpty()) {
            throw new HoistException("short name \"" + text + "\": no unqualified-search-registries are configured in "
                    + "registries.conf; use a fully qualified name such as docker.io/library/" + text);
        }
        if (search.size() > 1 && !"permissive".equals(conf.shortNameMode()) && !"disabled".equals(conf.shortNameMode())) {
            throw new HoistException("short name \"" + text + "\" could come from " + String.join(", ", search)
                    + " (short-name-mode is enforcing and there is no prompt); use a fully qualified name or an alias");
        }
        List<DockerReference> names = new ArrayList<>();
        for (String registry : search) {
            names.add(DockerReference.parse(registry + "/" + parsed.path() + suffix).withDefaultTag());
        }
        return names;
    }
}
