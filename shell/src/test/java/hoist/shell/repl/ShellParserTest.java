package hoist.shell.repl;

import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser.ParseContext;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a line typed in the shell goes on, and what the word at the cursor is when Tab is pressed. */
class ShellParserTest {

    private static final Set<String> COMMANDS = Set.of("push", "pull", "images");

    private final ShellParser parser = new ShellParser(line -> {
        String first = line.strip().split("\\s+", 2)[0];
        return COMMANDS.contains(first) && !line.contains("(") && !line.contains(", ");
    });

    private void accepted(String line) {
        parser.parse(line, line.length(), ParseContext.ACCEPT_LINE);
    }

    private void goesOn(String line) {
        assertThrows(EOFError.class, () -> parser.parse(line, line.length(), ParseContext.ACCEPT_LINE), line);
    }

    @Test
    void groovyThatEndsInAnOperatorOrOpenBracketGoesOn() {
        goesOn("def y =");
        goesOn("x = 1 +");
        goesOn("list.");
        goesOn("[1, 2].each {");
        goesOn("push('app',");
        goesOn("println 'open");
        accepted("def y = 1");
        accepted("x++");
        accepted("import java.util.*");
        accepted("push app oci:/tmp/x:1 --all");
        accepted("images --format=");
    }

    @Test
    void completingInsideGroovyTakesTheWordAfterPunctuation() {
        ParsedLine call = parser.parse("push(", 5, ParseContext.COMPLETE);
        assertEquals("", call.word());
        assertTrue(ShellParser.isGroovy(call));
        assertEquals("r.di", parser.parse("x = r.di", 8, ParseContext.COMPLETE).word());
        assertEquals("'oci:/tm", parser.parse("push('oci:/tm", 13, ParseContext.COMPLETE).word());
        ParsedLine commandLine = parser.parse("push app oci:/tm", 16, ParseContext.COMPLETE);
        assertFalse(ShellParser.isGroovy(commandLine));
        assertEquals("oci:/tm", commandLine.word());
        assertEquals(2, commandLine.wordIndex());
    }
}
