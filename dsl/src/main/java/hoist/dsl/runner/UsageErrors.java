package hoist.dsl.runner;

import hoist.dsl.Suggestions;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The one line a usage error shows, with picocli's suggestions for a mistyped command or option. */
final class UsageErrors {

    private UsageErrors() {
    }

    /**
     * The message for {@code e}, raised parsing {@code words}. picocli checks required parameters
     * and converts values before it reports an unknown option, so {@code rmi -x} would read as a
     * missing IMAGE: an unknown option among the words is named first, whatever else is wrong.
     */
    static String message(CommandLine.ParameterException e, List<String> words) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException) && e.getCommandLine() != null) {
            Optional<String> unknown = unknownOption(e.getCommandLine(), words);
            if (unknown.isPresent()) {
                return withSuggestions("unknown option \"" + unknown.get() + "\" for " + where(e.getCommandLine()),
                        suggestions(e.getCommandLine(), unknown.get()));
            }
        }
        return message(e);
    }

    /** The first word that looks like an option and is none of {@code command}'s or its parents'. */
    private static Optional<String> unknownOption(CommandLine command, List<String> words) {
        for (String word : words) {
            if (word.equals("--")) {
                break;
            }
            if (word.length() < 2 || !word.startsWith("-") || Character.isDigit(word.charAt(1))) {
                continue;
            }
            if (!known(command, word.split("=", 2)[0])) {
                return Optional.of(word);
            }
        }
        return Optional.empty();
    }

    /** An option of the command or a parent; {@code -abc} is known when {@code -a}, {@code -b} and {@code -c} are. */
    private static boolean known(CommandLine command, String name) {
        for (CommandLine c = command; c != null; c = c.getParent()) {
            if (c.getCommandSpec().findOption(name) != null) {
                return true;
            }
        }
        if (name.startsWith("--") || name.length() <= 2) {
            return false;
        }
        for (char letter : name.substring(1).toCharArray()) {
            if (!known(command, "-" + letter)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> suggestions(CommandLine command, String option) {
        List<String> near = new ArrayList<>();
        String bare = option.split("=", 2)[0].replaceFirst("^-+", "");
        for (String name : command.getCommandSpec().optionsMap().keySet()) {
            String candidate = name.replaceFirst("^-+", "");
            if (bare.length() > 2 && (candidate.startsWith(bare) || bare.startsWith(candidate))) {
                near.add(name);
            }
        }
        return near;
    }

    static String message(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            String first = unmatched.getUnmatched().isEmpty() ? "" : unmatched.getUnmatched().get(0);
            boolean command = unmatched.getCommandLine().getParent() == null && !first.startsWith("-");
            String where = where(unmatched.getCommandLine());
            String message = command ? "unknown command \"" + first + "\""
                    : first.startsWith("-") ? "unknown option \"" + first + "\" for " + where
                    : "unexpected argument \"" + first + "\" for " + where;
            return withSuggestions(message, unmatched.getSuggestions());
        }
        return e.getMessage();
    }

    /** The command's words after {@code hoist}: {@code manifest create}. */
    private static String where(CommandLine command) {
        String name = command.getCommandSpec().qualifiedName(" ");
        int space = name.indexOf(' ');
        return space < 0 ? name : name.substring(space + 1);
    }

    static String withSuggestions(String message, List<String> suggestions) {
        return Suggestions.withSuggestions(message, suggestions);
    }
}
