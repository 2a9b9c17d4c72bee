package hoist.dsl.command.manifest;

import hoist.engine.HoistException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --annotation KEY=VALUE} values, as podman reads them. */
final class Annotations {

    private Annotations() {
    }

    static Map<String, String> parse(List<String> values) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (values == null) {
            return annotations;
        }
        for (String value : values) {
            int equals = value.indexOf('=');
            if (equals <= 0) {
                throw HoistException.usage("--annotation \"" + value + "\": expected KEY=VALUE");
            }
            annotations.put(value.substring(0, equals), value.substring(equals + 1));
        }
        return annotations;
    }
}
