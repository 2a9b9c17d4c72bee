package hoist.dsl;

import picocli.CommandLine;

import java.util.List;

/** The one line a usage error shows, with picocli's suggestions for a mistyped command or option. */
final class UsageErrors {

    private UsageErrors() {
    }

    static String message(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            String first = unmatched.getUnmatched().isEmpty() ? "" : unmatched.getUnmatched().get(0);
            boolean command = unmatched.getCommandLine().getParent() == null && !first.startsWith("-");
            String where = unmatched.getCommandLine().getCommandName();
            String message = command ? "unknown command \"" + first + "\""
                    : first.startsWith("-") ? "unknown option \"" + first + "\" for " + where
                    : "unexpected argument \"" + first + "\" for " + where;
            return withSuggestions(message, unmatched.getSuggestions());
        }
        return e.getMessage();
    }

    static String withSuggestions(String message, List<String> suggestions) {
        return suggestions.isEmpty() ? message : message + "; did you mean " + String.join(" or ", suggestions) + "?";
    }
}
