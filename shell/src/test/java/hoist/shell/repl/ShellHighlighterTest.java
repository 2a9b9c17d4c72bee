package hoist.shell.repl;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which parts of a typed line get which colour. */
class ShellHighlighterTest {

    private final ShellHighlighter highlighter = new ShellHighlighter(() -> Set.of("push", "inspect"));

    private static AttributedStyle styleOf(AttributedString line, String text, String part) {
        return line.styleAt(text.indexOf(part));
    }

    @Test
    void commandNamesOptionsAndStringsOfACommandLine() {
        String text = "push app:1 oci:/tmp/x --compression-format=zstd -q";
        AttributedString line = highlighter.highlight(text);
        assertEquals(text, line.toString());
        assertEquals(ShellHighlighter.COMMAND, styleOf(line, text, "push"));
        assertEquals(ShellHighlighter.OPTION, styleOf(line, text, "--compression-format"));
        assertEquals(ShellHighlighter.OPTION, styleOf(line, text, "-q"));
        assertEquals(AttributedStyle.DEFAULT, styleOf(line, text, "=zstd"));
        assertEquals(AttributedStyle.DEFAULT, styleOf(line, text, "app"));
    }

    @Test
    void groovyKeywordsStringsAndCommandsCalledAsMethods() {
        String text = "def r = inspect 'docker://x/y:1'; if (r.inspect) println \"a \\\" b\" - 1";
        AttributedString line = highlighter.highlight(text);
        assertEquals(ShellHighlighter.KEYWORD, styleOf(line, text, "def"));
        assertEquals(ShellHighlighter.COMMAND, styleOf(line, text, "inspect"));
        assertEquals(ShellHighlighter.STRING, styleOf(line, text, "'docker"));
        assertEquals(ShellHighlighter.STRING, line.styleAt(text.indexOf("y:1'") + 3), "the closing quote");
        assertEquals(ShellHighlighter.KEYWORD, styleOf(line, text, "if"));
        assertEquals(AttributedStyle.DEFAULT, line.styleAt(text.indexOf("r.inspect") + 2), "a property is no command");
        assertEquals(ShellHighlighter.STRING, styleOf(line, text, " b\""), "an escaped quote stays inside");
        assertEquals(AttributedStyle.DEFAULT, styleOf(line, text, "- 1"), "a minus is no option");
    }
}
