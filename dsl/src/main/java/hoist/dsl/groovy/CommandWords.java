package hoist.dsl.groovy;

import hoist.dsl.Suggestions;
import hoist.engine.HoistException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Turns a DSL call into the words of a command line, so the command model parses and validates
 * it exactly as it does {@code hoist push ...}: {@code push 'a', 'b', all: true, retry: 5}
 * becomes {@code push --all --retry=5 a b}. Named arguments are long option names in camelCase
 * (the kebab-case name works too); {@code to:} gives the trailing destinations. Leading
 * arguments that name a subcommand select it: {@code manifest 'create', 'list'}.
 */
final class CommandWords {

    /** The named argument that stands for the destinations at the end of a command line. */
    static final String DESTINATIONS = "to";

    private CommandWords() {
    }

    static List<String> of(CommandSpec root, String command, Object[] arguments) {
        boolean hasNamed = arguments.length > 0 && arguments[0] instanceof Map;
        Map<?, ?> named = hasNamed ? (Map<?, ?>) arguments[0] : Map.of();
        List<Object> positional = new ArrayList<>();
        for (int i = hasNamed ? 1 : 0; i < arguments.length; i++) {
            flattenInto(positional, arguments[i]);
        }
        List<String> words = new ArrayList<>(List.of(command));
        CommandSpec spec = root.subcommands().get(command).getCommandSpec();
        while (!positional.isEmpty() && spec.subcommands().containsKey(String.valueOf(positional.get(0)))) {
            String sub = String.valueOf(positional.remove(0));
            words.add(sub);
            spec = spec.subcommands().get(sub).getCommandSpec();
        }
        List<String> trailing = new ArrayList<>();
        for (Map.Entry<?, ?> entry : named.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (key.equals(DESTINATIONS)) {
                List<Object> destinations = new ArrayList<>();
                flattenInto(destinations, entry.getValue());
                destinations.forEach(d -> trailing.add(String.valueOf(d)));
            } else {
                addOption(words, option(spec, key), entry.getValue());
            }
        }
        positional.forEach(p -> words.add(String.valueOf(p)));
        words.addAll(trailing);
        return words;
    }

    private static void flattenInto(List<Object> out, Object value) {
        if (value instanceof Collection<?> values) {
            values.forEach(v -> flattenInto(out, v));
        } else if (value instanceof Object[] values) {
            for (Object v : values) {
                flattenInto(out, v);
            }
        } else if (value != null) {
            out.add(value);
        }
    }

    private static OptionSpec option(CommandSpec spec, String key) {
        return find(spec, "--" + kebab(key))
                .or(() -> find(spec, "--" + key))
                .or(() -> key.length() == 1 ? find(spec, "-" + key) : Optional.empty())
                .orElseThrow(() -> unknown(spec, key));
    }

    private static Optional<OptionSpec> find(CommandSpec spec, String name) {
        return Optional.ofNullable(spec.findOption(name));
    }

    private static HoistException unknown(CommandSpec spec, String key) {
        TreeSet<String> names = new TreeSet<>();
        for (OptionSpec option : spec.options()) {
            for (String name : option.names()) {
                if (name.startsWith("--")) {
                    names.add(camel(name.substring(2)));
                }
            }
        }
        names.add(DESTINATIONS);
        return HoistException.usage(Suggestions.appendTo("unknown option \"" + key + "\" for "
                + spec.qualifiedName(" ").replaceFirst("^hoist ", ""), key, names));
    }

    /** The option's first long name ({@code --retry} rather than its alias {@code --retry-times}). */
    private static String firstLongName(OptionSpec option) {
        for (String name : option.names()) {
            if (name.startsWith("--")) {
                return name;
            }
        }
        return option.longestName();
    }

    /**
     * A value as option words: a flag is present when true, a boolean that takes a value says
     * it ({@code --tls-verify=false}); collections repeat the option; a map gives K=V pairs.
     */
    private static void addOption(List<String> words, OptionSpec option, Object value) {
        String name = firstLongName(option); // any of its names would do: picocli reads them all
        if (value instanceof Collection<?> || value instanceof Object[]) {
            List<Object> values = new ArrayList<>();
            flattenInto(values, value);
            values.forEach(v -> addOption(words, option, v));
        } else if (value instanceof Map<?, ?> pairs) {
            pairs.forEach((k, v) -> words.add(name + "=" + k + "=" + v));
        } else if (value instanceof Boolean flag && option.arity().max() == 0) {
            if (flag) {
                words.add(name);
            }
        } else if (value != null) {
            words.add(name + "=" + value);
        }
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    static String camel(String kebab) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
