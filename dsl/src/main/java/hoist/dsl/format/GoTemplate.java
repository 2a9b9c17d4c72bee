package hoist.dsl.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import hoist.engine.HoistException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The part of Go's {@code text/template} that podman's and skopeo's {@code --format} users write,
 * evaluated over JSON data (the fields the command prints as JSON, by the same names):
 * <ul>
 *   <li>fields: {@code {{.}}}, {@code {{.Name}}}, {@code {{.Config.Labels}}};</li>
 *   <li>{@code {{range PIPELINE}}...{{else}}...{{end}}} over a list (or a map's values, by sorted key),
 *       and {@code {{if PIPELINE}}...{{else}}...{{end}}} with Go's truth (false, 0, empty and nil are false);</li>
 *   <li>functions {@code json}, {@code index X KEY...}, {@code join LIST SEP}, {@code len}, {@code upper},
 *       {@code lower}, string literals ({@code "..."}, {@code `...`}), pipes ({@code {{.Labels | json}}});</li>
 *   <li>{@code {{-} and {@code -}}} trim the white space next to them.</li>
 * </ul>
 * Values print as Go's {@code fmt} prints them: strings bare, lists {@code [a b]}, maps
 * {@code map[k:v]}, a missing map key {@code <no value>}. Variables, {@code with}, {@code define}
 * and comparison functions are not part of the subset: they are syntax errors.
 *
 * @see <a href="https://pkg.go.dev/text/template">Go text/template</a>
 */
public final class GoTemplate {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A piece of the template: literal text, a value printed, a range or an if. */
    private sealed interface Node permits Text, Print, Range, If {
    }

    private record Text(String text) implements Node {
    }

    private record Print(String pipeline) implements Node {
    }

    private record Range(String pipeline, List<Node> body, List<Node> otherwise) implements Node {
    }

    private record If(String pipeline, List<Node> body, List<Node> otherwise) implements Node {
    }

    private final String source;
    private final List<Node> nodes;

    private GoTemplate(String source, List<Node> nodes) {
        this.source = source;
        this.nodes = nodes;
    }

    /**
     * Parses {@code text}.
     *
     * @throws HoistException a usage error naming the template when it is not well formed or uses
     *                        more than the subset
     */
    public static GoTemplate parse(String text) {
        List<String> tokens = tokens(text);
        int[] at = {0};
        List<Node> nodes = new ArrayList<>();
        String end = block(text, tokens, at, nodes);
        if (end != null) {
            throw syntax(text, "unexpected {{" + end + "}}");
        }
        return new GoTemplate(text, nodes);
    }

    /** The template applied to {@code data}; a missing field is an error that names it. */
    public String render(JsonNode data) {
        StringBuilder out = new StringBuilder();
        render(nodes, data, out);
        return out.toString();
    }

    /** Text and actions, in order; an action keeps its braces off and its trim dashes on. */
    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf("{{", i);
            if (open < 0) {
                tokens.add(text.substring(i));
                break;
            }
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw syntax(text, "unclosed action");
            }
            tokens.add(text.substring(i, open));
            tokens.add("{{" + text.substring(open + 2, close));
            i = close + 2;
        }
        // trim markers: "{{- " eats the white space before, " -}}" the white space after
        for (int k = 0; k < tokens.size(); k++) {
            String token = tokens.get(k);
            if (!token.startsWith("{{")) {
                continue;
            }
            String body = token.substring(2);
            if (body.startsWith("- ") || body.equals("-")) {
                if (k > 0 && !tokens.get(k - 1).startsWith("{{")) {
                    tokens.set(k - 1, tokens.get(k - 1).stripTrailing());
                }
                body = body.substring(1);
            }
            if (body.endsWith(" -")) {
                if (k + 1 < tokens.size() && !tokens.get(k + 1).startsWith("{{")) {
                    tokens.set(k + 1, tokens.get(k + 1).stripLeading());
                }
                body = body.substring(0, body.length() - 1);
            }
            tokens.set(k, "{{" + body.strip());
        }
        return tokens;
    }

    /** Parses nodes into {@code into} up to an {@code end} or {@code else}, which it returns (null at the end of the text). */
    private static String block(String source, List<String> tokens, int[] at, List<Node> into) {
        while (at[0] < tokens.size()) {
            String token = tokens.get(at[0]++);
            if (!token.startsWith("{{")) {
                if (!token.isEmpty()) {
                    into.add(new Text(token));
                }
                continue;
            }
            String action = token.substring(2);
            if (action.equals("end") || action.equals("else")) {
                return action;
            }
            String keyword = action.split("\\s+", 2)[0];
            if (keyword.equals("range") || keyword.equals("if")) {
                String pipeline = action.substring(keyword.length()).strip();
                if (pipeline.isEmpty()) {
                    throw syntax(source, "missing value for " + keyword);
                }
                List<Node> body = new ArrayList<>();
                List<Node> otherwise = new ArrayList<>();
                String end = block(source, tokens, at, body);
                if ("else".equals(end)) {
                    end = block(source, tokens, at, otherwise);
                }
                if (!"end".equals(end)) {
                    throw syntax(source, "{{" + keyword + "}} without {{end}}");
                }
                into.add(keyword.equals("range") ? new Range(pipeline, body, otherwise) : new If(pipeline, body, otherwise));
            } else if (action.startsWith("/*")) {
                continue; // a comment
            } else if (List.of("with", "define", "template", "block", "break", "continue").contains(keyword)
                    || action.contains(":=") || action.startsWith("$")) {
                throw syntax(source, "{{" + action + "}} is not supported (fields, range, if, json, index, join, len, upper, lower are)");
            } else {
                into.add(new Print(action));
            }
        }
        return null;
    }

    private void render(List<Node> nodes, JsonNode dot, StringBuilder out) {
        for (Node node : nodes) {
            if (node instanceof Text text) {
                out.append(text.text());
            } else if (node instanceof Print print) {
                out.append(show(pipeline(print.pipeline(), dot)));
            } else if (node instanceof Range range) {
                JsonNode over = pipeline(range.pipeline(), dot);
                List<JsonNode> items = new ArrayList<>();
                if (over.isArray()) {
                    over.forEach(items::add);
                } else if (over.isObject()) {
                    items.addAll(sorted(over).values());
                } else if (!over.isNull() && !over.isMissingNode()) {
                    throw failure("range can't iterate over " + show(over));
                }
                if (items.isEmpty()) {
                    render(range.otherwise(), dot, out);
                }
                for (JsonNode item : items) {
                    render(range.body(), item, out);
                }
            } else if (node instanceof If test) {
                render(truth(pipeline(test.pipeline(), dot)) ? test.body() : test.otherwise(), dot, out);
            }
        }
    }

    /** A pipeline: commands joined by {@code |}, each after the first given the previous value as its last argument. */
    private JsonNode pipeline(String text, JsonNode dot) {
        JsonNode value = null;
        for (String command : split(text, '|')) {
            List<String> words = words(command.strip());
            if (words.isEmpty()) {
                throw failure("empty command in \"" + text + "\"");
            }
            List<JsonNode> args = new ArrayList<>();
            for (String word : words.subList(1, words.size())) {
                args.add(operand(word, dot));
            }
            if (value != null) {
                args.add(value);
            }
            value = command(words.get(0), args, dot, value != null);
        }
        return value;
    }

    private JsonNode command(String head, List<JsonNode> args, JsonNode dot, boolean piped) {
        switch (head) {
            case "json" -> {
                return TextNode.valueOf(json(single(head, args)));
            }
            case "len" -> {
                return JSON.getNodeFactory().numberNode(single(head, args).size());
            }
            case "upper" -> {
                return TextNode.valueOf(show(single(head, args)).toUpperCase(java.util.Locale.ROOT));
            }
            case "lower" -> {
                return TextNode.valueOf(show(single(head, args)).toLowerCase(java.util.Locale.ROOT));
            }
            case "join" -> {
                if (args.size() != 2) {
                    throw failure("join takes a list and a separator");
                }
                List<String> parts = new ArrayList<>();
                args.get(0).forEach(item -> parts.add(show(item)));
                return TextNode.valueOf(String.join(show(args.get(1)), parts));
            }
            case "index" -> {
                if (args.size() < 2) {
                    throw failure("index takes a value and at least one key");
                }
                JsonNode value = args.get(0);
                for (JsonNode key : args.subList(1, args.size())) {
                    value = key.isNumber() ? value.path(key.asInt()) : value.path(key.asText());
                }
                return value;
            }
            default -> {
                if (!args.isEmpty() && !(piped && args.size() == 1)) {
                    throw failure("can't give arguments to " + head);
                }
                if (piped) {
                    throw failure(head + " is not a function");
                }
                return operand(head, dot);
            }
        }
    }

    private static JsonNode single(String function, List<JsonNode> args) {
        if (args.size() != 1) {
            throw failure(function + " takes one value");
        }
        return args.get(0);
    }

    /** A field of dot, a string or number literal. */
    private JsonNode operand(String word, JsonNode dot) {
        if (word.startsWith("\"") || word.startsWith("`")) {
            return TextNode.valueOf(word.startsWith("`") ? word.substring(1, word.length() - 1) : unquote(word));
        }
        if (word.matches("-?[0-9]+")) {
            return JSON.getNodeFactory().numberNode(Long.parseLong(word));
        }
        if (word.equals(".")) {
            return dot;
        }
        if (!word.startsWith(".")) {
            throw failure("function \"" + word + "\" not defined");
        }
        JsonNode value = dot;
        for (String field : word.substring(1).split("\\.")) {
            if (!value.isObject() || !value.has(field)) {
                if (value.isObject() && value.size() > 0 && Character.isUpperCase(field.charAt(0))) {
                    throw failure("can't evaluate field " + field + " (fields: " + String.join(", ", fieldNames(value)) + ")");
                }
                return value.path(field);
            }
            value = value.get(field);
        }
        return value;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Words of a command: white space separates them, except inside quotes. */
    private static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                word.append(c);
                if (c == '\\' && quote == '"' && i + 1 < command.length()) {
                    word.append(command.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '`') {
                quote = c;
                word.append(c);
            } else if (Character.isWhitespace(c)) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (quote != 0) {
            throw failure("unterminated quoted string in \"" + command + "\"");
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        char quote = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '`') {
                quote = c;
            } else if (c == separator) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static String unquote(String literal) {
        try {
            return JSON.readValue(literal, String.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw failure("bad string " + literal);
        }
    }

    /** Go's truth: false, 0, nil and empty strings, lists and maps are false. */
    private static boolean truth(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.doubleValue() != 0;
        }
        if (value.isTextual()) {
            return !value.textValue().isEmpty();
        }
        return value.size() > 0;
    }

    /** A value as Go's fmt prints it with {@code %v}. */
    private static String show(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "<no value>";
        }
        if (value.isNull()) {
            return "<nil>";
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(show(item)));
            return "[" + String.join(" ", items) + "]";
        }
        if (value.isObject()) {
            List<String> entries = new ArrayList<>();
            sorted(value).forEach((k, v) -> entries.add(k + ":" + show(v)));
            return "map[" + String.join(" ", entries) + "]";
        }
        return value.asText();
    }

    private static Map<String, JsonNode> sorted(JsonNode object) {
        Map<String, JsonNode> entries = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            entries.put(entry.getKey(), entry.getValue());
        }
        return entries;
    }

    /** Compact JSON, as Go's json.Marshal writes it. */
    private static String json(JsonNode value) {
        try {
            return value == null || value.isMissingNode() ? "null" : JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw failure(e.getOriginalMessage());
        }
    }

    private static HoistException syntax(String template, String problem) {
        return HoistException.usage("template \"" + template + "\": " + problem);
    }

    private static HoistException failure(String problem) {
        return HoistException.usage("template: " + problem);
    }

    @Override
    public String toString() {
        return source;
    }
}
