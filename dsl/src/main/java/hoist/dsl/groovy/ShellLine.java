package hoist.dsl.groovy;

import hoist.engine.HoistException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Tells a command line typed in the shell ({@code push app oci:/tmp/x --all}) from Groovy
 * ({@code push 'app', to: 'oci:/tmp/x'}), and splits a command line into words as a POSIX shell
 * would (quotes, backslash escapes).
 */
final class ShellLine {

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
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw HoistException.usage("unterminated " + quote + " quote");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
