package hoist.shell.repl;

import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.SyntaxError;
import org.jline.reader.impl.DefaultParser;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * How the shell reads what is typed. A command line is split into words as a POSIX shell splits
 * them (JLine's {@link DefaultParser}). Groovy is read as Groovy: a line whose brackets or quotes
 * are open, or that ends in an operator ({@code def y =}, {@code a +}, {@code list.}), continues on
 * the next line; and for completion its words end at Groovy's punctuation, so that {@code push(}
 * completes what comes after the parenthesis instead of replacing it, and {@code r.} completes the
 * properties of {@code r}.
 */
final class ShellParser implements Parser {

    /** A Groovy line that cannot end here: it ends with an operator, a dot, a comma or an arrow. */
    private static final Pattern OPEN_END = Pattern.compile("(?s).*(?:[=+\\-*/%&|^<>?:.,!~]|->|\\bnew|\\breturn)\\s*$");
    /** An end that is complete as typed: {@code x++}, {@code x--}, {@code import java.util.*}. */
    private static final Pattern CLOSED_END = Pattern.compile("(?s)(?:.*(?:\\+\\+|--)|\\s*import\\s.*)\\s*$");
    /** Where a Groovy word ends when completing. */
    private static final String GROOVY_DELIMITERS = " \t\n()[]{},;=+-*/%!&|<>?:^~";

    private final DefaultParser words = new DefaultParser();
    private final Predicate<String> commandLine;

    /** {@code commandLine} tells a command line from Groovy, as the shell will run it. */
    ShellParser(Predicate<String> commandLine) {
        this.commandLine = commandLine;
        words.setEofOnUnclosedBracket(DefaultParser.Bracket.CURLY, DefaultParser.Bracket.ROUND, DefaultParser.Bracket.SQUARE);
        words.setEofOnUnclosedQuote(true);
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) throws SyntaxError {
        if (context == ParseContext.COMPLETE && isGroovy(line.substring(0, Math.min(cursor, line.length())))) {
            return groovyWords(line, cursor);
        }
        ParsedLine parsed = words.parse(line, cursor, context);
        if (context == ParseContext.ACCEPT_LINE && !commandLine.test(line.strip())
                && OPEN_END.matcher(line).matches() && !CLOSED_END.matcher(line).matches()) {
            throw new EOFError(-1, -1, "the expression goes on", "");
        }
        return parsed;
    }

    /** Whether {@code line} was split the Groovy way (completion inside Groovy) rather than into command-line words. */
    static boolean isGroovy(ParsedLine line) {
        return line instanceof GroovyLine;
    }

    /**
     * Whether what is typed before the cursor is Groovy (for completion): neither a command line
     * nor the first word alone.
     */
    private boolean isGroovy(String head) {
        String text = head.stripLeading();
        if (text.matches("[\\w-]*")) {
            return false; // the first word: a command's name or a variable's, both offered
        }
        return !commandLine.test(text);
    }

    /**
     * The Groovy words of {@code line} up to the cursor, strings whole (quotes included), split at
     * punctuation; the word at the cursor runs on to the next punctuation.
     */
    private static ParsedLine groovyWords(String line, int cursor) {
        List<String> found = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        int end = Math.min(cursor, line.length());
        for (int i = 0; i < end; i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                word.append(c);
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
                word.append(c);
            } else if (GROOVY_DELIMITERS.indexOf(c) >= 0) {
                if (word.length() > 0) {
                    found.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        int wordCursor = word.length();
        for (int i = end; i < line.length() && (quote != 0 || GROOVY_DELIMITERS.indexOf(line.charAt(i)) < 0); i++) {
            word.append(line.charAt(i));
        }
        found.add(word.toString());
        return new GroovyLine(line, cursor, found, found.size() - 1, wordCursor);
    }

    /** A line split the Groovy way; candidates are inserted as they are, without escapes. */
    private record GroovyLine(String line, int cursor, List<String> words, int wordIndex, int wordCursor)
            implements CompletingParsedLine {

        @Override
        public String word() {
            return words.get(wordIndex);
        }

        @Override
        public CharSequence escape(CharSequence candidate, boolean complete) {
            return candidate;
        }

        @Override
        public int rawWordCursor() {
            return wordCursor;
        }

        @Override
        public int rawWordLength() {
            return word().length();
        }
    }
}
