package hoist.dsl.groovy;

import hoist.engine.HoistException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Tells a command line typed in the shell ({@code push app oci:/tmp/x --all}) from Groovy
 * ({@code push 'app', to: 'oci:/tmp/x'}), and splits a command line into words as a POSIX shell
 * would (quotes, backslash escapes), keeping for each word whether it asks for Groovy's
 * {@code $name} or {@code ${expression}} to be expanded (outside single quotes, as in a shell).
 */
final class ShellLine {

    /**
     * One word of a command line: {@code text} as the shell reads it without expansion, and
     * {@code gstring}, the Groovy double-quoted string that expands it, or null when nothing in the
     * word is to be expanded.
     */
    record Word(String text, String gstring) {
    }

    private ShellLine() {
    }

    /**
     * A command line starts with a command's name and goes on with words, not Groovy: nothing
     * right after the name opens a call, a string or a closure, and no comma or named argument
     * ({@code key: value}) follows.
     */
    static boolean isCommandLine(String line, Set<String> commands) {
        String text = line.strip();
        int end = 0;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        if (!commands.contains(text.substring(0, end))) {
            return false;
        }
        String rest = text.substring(end).strip();
        if (rest.isEmpty()) {
            return true;
        }
        if ("('\"{[.=".indexOf(rest.charAt(0)) >= 0) {
            return false;
        }
        return !rest.contains(", ") && !rest.matches(".*\\w: .*");
    }

    static List<String> words(String line) {
        return split(line).stream().map(Word::text).toList();
    }

    /** The words of {@code line}; throws a usage error for a quote left open. */
    static List<Word> split(String line) {
        List<Word> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        StringBuilder gstring = new StringBuilder();
        boolean expands = false;
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                    literal(gstring, c);
                }
            } else if (quote == '"' && c == '"') {
                quote = 0;
            } else if (c == '\\' && i + 1 < line.length() && (quote == 0 || "\"\\$".indexOf(line.charAt(i + 1)) >= 0)) {
                char escaped = line.charAt(++i);
                word.append(escaped);
                literal(gstring, escaped);
                inWord = true;
            } else if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
                inWord = true;
            } else if (quote == 0 && Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(new Word(word.toString(), expands ? gstring.toString() : null));
                    word.setLength(0);
                    gstring.setLength(0);
                    expands = false;
                    inWord = false;
                }
            } else {
                word.append(c);
                if (c == '$') {
                    expands = true;
                    gstring.append(c);
                } else {
                    literal(gstring, c);
                }
                inWord = true;
            }
        }
        if (quote != 0) {
            throw HoistException.usage("unterminated " + quote + " quote");
        }
        if (inWord) {
            words.add(new Word(word.toString(), expands ? gstring.toString() : null));
        }
        return words;
    }

    /** {@code c} inside a Groovy double-quoted string, standing for itself. */
    private static void literal(StringBuilder gstring, char c) {
        if (c == '"' || c == '\\' || c == '$') {
            gstring.append('\\');
        }
        gstring.append(c);
    }
}
