package hoist.engine.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.image.Descriptor;
import hoist.engine.image.ImageConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image's config: the descriptor that names it and the fields people ask for, with the whole
 * document in {@code json} for anything else. Fields the config leaves out are null (text) or
 * empty (lists and maps).
 *
 * @param created  when the image was made (RFC 3339), as the config says
 * @param exposedPorts {@code 80/tcp}, ...
 * @param diffIds  the uncompressed digests of the layers, in order
 */
public record InspectedConfig(String digest, String mediaType, long size, String created, String author,
                              String architecture, String os, String variant, String user, String workingDir,
                              List<String> env, List<String> entrypoint, List<String> cmd,
                              Map<String, String> labels, List<String> exposedPorts, List<String> volumes,
                              String stopSignal, List<String> diffIds, JsonNode json) {

    public InspectedConfig {
        env = List.copyOf(env);
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        exposedPorts = List.copyOf(exposedPorts);
        volumes = List.copyOf(volumes);
        diffIds = List.copyOf(diffIds);
        json = json.deepCopy();
    }

    static InspectedConfig of(Descriptor descriptor, ImageConfig config) {
        JsonNode json = config.json();
        JsonNode run = config.containerConfig();
        return new InspectedConfig(descriptor.digest().toString(), descriptor.mediaType(), descriptor.size(),
                config.created(), text(json, "author"), textOrNull(config.architecture()), textOrNull(config.os()),
                config.variant(), text(run, "User"), text(run, "WorkingDir"),
                strings(run.path("Env")), strings(run.path("Entrypoint")), strings(run.path("Cmd")),
                stringMap(run.path("Labels")), fieldNames(run.path("ExposedPorts")), fieldNames(run.path("Volumes")),
                text(run, "StopSignal"), strings(json.path("rootfs").path("diff_ids")), json);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    private static String textOrNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static Map<String, String> stringMap(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
