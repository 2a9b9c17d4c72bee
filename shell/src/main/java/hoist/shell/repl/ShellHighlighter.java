package hoist.shell.repl;

import org.jline.reader.Highlighter;
import org.jline.reader.LineReader;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

import java.util.Set;
import java.util.function.Supplier;

/** Colours a shell line as it is typed: command names, options, quoted strings and Groovy keywords. */
final class ShellHighlighter implements Highlighter {

    static final AttributedStyle COMMAND = AttributedStyle.BOLD.foreground(AttributedStyle.BLUE);
    static final AttributedStyle OPTION = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
    static final AttributedStyle STRING = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
    static final AttributedStyle KEYWORD = AttributedStyle.BOLD.foreground(AttributedStyle.MAGENTA);

    private static final Set<String> GROOVY_KEYWORDS = Set.of("def", "var", "if", "else", "for", "while", "in",
            "return", "new", "true", "false", "null", "try", "catch", "finally", "throw", "switch", "case", "break",
            "continue", "as", "instanceof", "import", "class");

    private final Supplier<Set<String>> commandNames;

    ShellHighlighter(Supplier<Set<String>> commandNames) {
        this.commandNames = commandNames;
    }

    @Override
    public AttributedString highlight(LineReader reader, String buffer) {
        return highlight(buffer);
    }

    AttributedString highlight(String buffer) {
        Set<String> commands = commandNames.get();
        AttributedStringBuilder out = new AttributedStringBuilder();
        int i = 0;
        while (i < buffer.length()) {
            char c = buffer.charAt(i);
            int end;
            if (c == '\'' || c == '"') {
                end = closingQuote(buffer, i);
                out.styled(STRING, buffer.substring(i, end));
            } else if (c == '-' && startsWord(buffer, i) && i + 1 < buffer.length()
                    && (buffer.charAt(i + 1) == '-' || Character.isLetter(buffer.charAt(i + 1)))) {
                end = i + 1;
                while (end < buffer.length() && !Character.isWhitespace(buffer.charAt(end)) && buffer.charAt(end) != '=') {
                    end++;
                }
                out.styled(OPTION, buffer.substring(i, end));
            } else if (Character.isJavaIdentifierStart(c)) {
                end = i + 1;
                while (end < buffer.length() && Character.isJavaIdentifierPart(buffer.charAt(end))) {
                    end++;
                }
                String word = buffer.substring(i, end);
                boolean property = i > 0 && buffer.charAt(i - 1) == '.';
                if (!property && commands.contains(word)) {
                    out.styled(COMMAND, word);
                } else if (!property && GROOVY_KEYWORDS.contains(word)) {
                    out.styled(KEYWORD, word);
                } else {
                    out.append(word);
                }
            } else {
                end = i + 1;
                out.append(c);
            }
            i = end;
        }
        return out.toAttributedString();
    }

    private static boolean startsWord(String buffer, int i) {
        return i == 0 || Character.isWhitespace(buffer.charAt(i - 1));
    }

    /** Just past the quote that closes the one at {@code start} (backslash escapes), or the end of an unclosed string. */
    private static int closingQuote(String buffer, int start) {
        char quote = buffer.charAt(start);
        int i = start + 1;
        while (i < buffer.length()) {
            char c = buffer.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote) {
                return i + 1;
            }
            i++;
        }
        return buffer.length();
    }
}
