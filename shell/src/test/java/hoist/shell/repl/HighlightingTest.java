package hoist.shell.repl;

import org.jline.builtins.SyntaxHighlighter;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The shell's nanorc grammars load from the class path and colour what they should (a grammar
 * that fails to load leaves lines uncoloured without a word, so this is where it shows).
 */
class HighlightingTest {

    private static AttributedString highlight(String grammar, String text) {
        return SyntaxHighlighter.build("classpath:/hoist/shell/repl/" + grammar + ".nanorc").reset().highlight(text);
    }

    private static AttributedStyle styleOf(AttributedString line, String text, String part) {
        return line.styleAt(text.indexOf(part));
    }

    @Test
    void optionsStringsAndVariablesOfACommandLine() {
        String text = " --compression-format=zstd app 'oci:/tmp/x' \"oci:/tmp/v:${tag}\" -q";
        AttributedString line = highlight("arguments", text);
        assertEquals(text, line.toString());
        assertNotEquals(AttributedStyle.DEFAULT, styleOf(line, text, "--compression-format"));
        assertEquals(styleOf(line, text, "--compression-format"), styleOf(line, text, "-q"));
        assertEquals(AttributedStyle.DEFAULT, styleOf(line, text, "app"));
        assertNotEquals(AttributedStyle.DEFAULT, styleOf(line, text, "'oci"));
        assertNotEquals(styleOf(line, text, "\"oci"), styleOf(line, text, "${tag}"), "a variable stands out in its string");
    }

    @Test
    void keywordsAndStringsOfGroovy() {
        String text = "def r = inspect 'docker://x/y:1'; if (r) { println 42 }";
        AttributedString line = highlight("groovy", text);
        assertNotEquals(AttributedStyle.DEFAULT, styleOf(line, text, "def"));
        assertEquals(styleOf(line, text, "def"), styleOf(line, text, "if"));
        assertNotEquals(AttributedStyle.DEFAULT, styleOf(line, text, "'docker"));
        assertEquals(AttributedStyle.DEFAULT, styleOf(line, text, "inspect"));
        assertNotEquals(AttributedStyle.DEFAULT, styleOf(line, text, "42"));
        String commented = "x = 1 // the first";
        assertNotEquals(AttributedStyle.DEFAULT, styleOf(highlight("groovy", commented), commented, "the first"));
    }

    @Test
    void theCommandsName() {
        AttributedString line = highlight("command", "push");
        assertNotEquals(AttributedStyle.DEFAULT, line.styleAt(0));
    }
}
