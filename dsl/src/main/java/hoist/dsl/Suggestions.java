package hoist.dsl;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** The names a mistyped word was probably meant to be: those within two edits of it, closest first. */
public final class Suggestions {

    private static final int MAX_EDITS = 2;

    private Suggestions() {
    }

    public static List<String> closest(String word, Collection<String> names) {
        return names.stream()
                .filter(name -> distance(word, name) <= Math.min(MAX_EDITS, name.length() / 2))
                .sorted(Comparator.comparingInt(name -> distance(word, name)))
                .toList();
    }

    /** "unknown X; did you mean Y?" when there is a Y. */
    public static String appendTo(String message, String word, Collection<String> names) {
        return withSuggestions(message, closest(word, names));
    }

    /** {@code message}, followed by "; did you mean A or B?" when {@code suggestions} has any. */
    public static String withSuggestions(String message, List<String> suggestions) {
        return suggestions.isEmpty() ? message : message + "; did you mean " + String.join(" or ", suggestions) + "?";
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
