package hoist.dsl.command;

import hoist.dsl.format.GoTime;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.dsl.format.GoTemplate;
import hoist.engine.image.Json;
import hoist.engine.store.StoredImage;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code images --format}: {@code json} (podman's array of images) or a Go template applied to
 * each line. A class apart from the command so that listing images without it loads no JSON library.
 */
final class ImagesFormat {

    private ImagesFormat() {
    }

    static String text(String format, List<ImagesCommand.Row> rows, List<StoredImage> images, boolean noTrunc) {
        if (format.equals("json") || format.strip().matches("\\{\\{\\s*json\\s+\\.\\s*}}")) {
            return Json.pretty(json(images));
        }
        boolean table = format.startsWith("table ");
        // as podman reads it: a typed \t or \n (the shell leaves them as two characters) is a tab or a line break
        String body = (table ? format.substring("table ".length()) : format).replace("\\t", "\t").replace("\\n", "\n");
        GoTemplate template = GoTemplate.parse(body);
        List<String> lines = new ArrayList<>();
        if (table) {
            lines.add(heading(body));
        }
        for (ImagesCommand.Row row : rows) {
            lines.add(template.render(fields(row, noTrunc)));
        }
        if (lines.stream().anyMatch(line -> line.contains("\t"))) {
            // tab-separated columns are aligned, as podman's tabwriter aligns them
            int columns = lines.stream().mapToInt(line -> line.split("\t", -1).length).max().orElse(1);
            return Table.format(lines.stream().map(line -> java.util.Arrays.copyOf(line.split("\t", -1), columns))
                    .map(cells -> java.util.Arrays.stream(cells).map(c -> c == null ? "" : c).toArray(String[]::new))
                    .toList());
        }
        return String.join("\n", lines);
    }

    /** A {@code table} template's heading: each field replaced by its column's name. */
    private static String heading(String template) {
        java.util.regex.Matcher field = java.util.regex.Pattern.compile("\\{\\{-?\\s*\\.(\\w+)\\s*-?}}").matcher(template);
        StringBuilder out = new StringBuilder();
        while (field.find()) {
            String name = switch (field.group(1)) {
                case "ID", "Id" -> "IMAGE ID";
                case "Created", "CreatedSince" -> "CREATED";
                case "CreatedAt" -> "CREATED AT";
                default -> field.group(1).toUpperCase(java.util.Locale.ROOT);
            };
            field.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(name));
        }
        field.appendTail(out);
        return out.toString();
    }

    /** The fields a line's template sees, named as podman names them. */
    private static ObjectNode fields(ImagesCommand.Row row, boolean noTrunc) {
        StoredImage image = row.image();
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        fields.put("Repository", row.repository());
        fields.put("Tag", row.tag());
        fields.put("ID", noTrunc ? image.id().toString() : image.id().shortHex());
        fields.put("Id", image.id().hex());
        fields.put("Digest", image.manifestDigest().toString());
        fields.put("Created", ImagesCommand.ago(image.created()));
        fields.put("CreatedSince", ImagesCommand.ago(image.created()));
        fields.put("CreatedAt", image.created() == null ? "" : GoTime.format(image.created()));
        fields.put("Size", ImagesCommand.humanSize(image.size()));
        ArrayNode names = fields.putArray("Names");
        image.names().forEach(names::add);
        fields.put("Dangling", image.names().isEmpty());
        return fields;
    }

    /** podman images --format json: one object per image, all its names in it. */
    private static ArrayNode json(List<StoredImage> images) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (StoredImage image : images) {
            ObjectNode entry = array.addObject();
            entry.put("Id", image.id().hex());
            entry.put("ParentId", "");
            ArrayNode tags = entry.putArray("RepoTags");
            image.names().forEach(tags::add);
            ArrayNode digests = entry.putArray("RepoDigests");
            image.names().forEach(n -> digests.add(n.replaceFirst(":[^:/]+$", "") + "@" + image.manifestDigest()));
            entry.put("Size", image.size());
            entry.put("SharedSize", 0);
            entry.put("VirtualSize", image.size());
            entry.put("Containers", 0);
            ArrayNode names = entry.putArray("Names");
            image.names().forEach(names::add);
            entry.put("Digest", image.manifestDigest().toString());
            if (image.created() != null) {
                try {
                    entry.put("Created", Instant.parse(image.created()).getEpochSecond());
                } catch (DateTimeParseException e) {
                    // not a time: left out
                }
                entry.put("CreatedAt", image.created());
            }
            entry.put("IsManifestList", image.isList());
        }
        return array;
    }
}
