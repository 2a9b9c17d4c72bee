package hoist.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.HoistException;
import hoist.engine.image.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code BUILD_REGISTRY_SOURCES}, as buildah reads it:
 * {@code {"insecureRegistries":[],"blockedRegistries":[],"allowedRegistries":[]}}. A non-empty
 * allowed list blocks every registry not on it.
 */
public record RegistrySources(List<String> insecure, List<String> blocked, List<String> allowed) {

    public static RegistrySources none() {
        return new RegistrySources(List.of(), List.of(), List.of());
    }

    public static RegistrySources fromEnvironment() {
        return parse(System.getenv("BUILD_REGISTRY_SOURCES"));
    }

    static RegistrySources parse(String json) {
        if (json == null || json.isBlank()) {
            return none();
        }
        try {
            JsonNode root = Json.read(json.getBytes(StandardCharsets.UTF_8));
            return new RegistrySources(list(root, "insecureRegistries"), list(root, "blockedRegistries"),
                    list(root, "allowedRegistries"));
        } catch (IOException e) {
            throw HoistException.usage("BUILD_REGISTRY_SOURCES is not valid JSON: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private static List<String> list(JsonNode root, String field) {
        List<String> values = new ArrayList<>();
        root.path(field).forEach(v -> values.add(v.asText()));
        return values;
    }

    /** Why the registry (host[:port]) may not be used, or null when it may. */
    public String refusal(String registry) {
        if (blocked.contains(registry)) {
            return "registry " + registry + " is blocked by BUILD_REGISTRY_SOURCES";
        }
        if (!allowed.isEmpty() && !allowed.contains(registry)) {
            return "registry " + registry + " is not in the allowedRegistries of BUILD_REGISTRY_SOURCES";
        }
        return null;
    }
}
