package hoist.dsl.groovy;

import hoist.dsl.runner.CommandRunner;
import hoist.dsl.Session;
import hoist.engine.HoistException;
import hoist.engine.copy.ProgressListener;
import hoist.engine.transport.TransportContext;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandWordsTest {

    private static final CommandSpec SPEC = new CommandRunner(new Session(TransportContext.defaults(),
            new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), quiet -> ProgressListener.NONE))
            .spec();

    private static Map<String, Object> named(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void namedArgumentsBecomeLongOptionsAndToTheTrailingDestinations() {
        List<String> words = CommandWords.of(SPEC, "push", new Object[] {
                named("all", true, "quiet", false, "compressionFormat", "zstd", "tlsVerify", false, "retry", 5,
                        "to", List.of("docker://a/x", "docker://b/x")), "app"});
        assertEquals(List.of("push", "--all=true", "--compression-format=zstd", "--tls-verify=false", "--retry=5",
                "app", "docker://a/x", "docker://b/x"), words);
    }

    @Test
    void anyNameOfAnOptionWorksAndLeadingWordsSelectASubcommand() {
        List<String> words = CommandWords.of(SPEC, "manifest", new Object[] {
                named("rm", true, "to", "docker://a/list:1"), "push", "localhost/list:1"});
        assertEquals("manifest", words.get(0));
        assertEquals("push", words.get(1));
        assertTrue(words.get(2).equals("--purge") || words.get(2).equals("--rm"), words::toString);
        assertEquals(List.of("localhost/list:1", "docker://a/list:1"), words.subList(3, 5));
    }

    @Test
    void anUnknownNamedArgumentIsAUsageErrorWithASuggestion() {
        HoistException e = assertThrows(HoistException.class,
                () -> CommandWords.of(SPEC, "copy", new Object[] {named("compresionFormat", "gzip"), "a", "b"}));
        assertEquals(HoistException.USAGE, e.exitStatus());
        assertTrue(e.getMessage().contains("did you mean compressionFormat"), e.getMessage());
    }

    @Test
    void shellLinesAreCommandLinesUnlessTheyAreGroovy() {
        Set<String> commands = Set.of("push", "images", "inspect");
        assertTrue(ShellLine.isCommandLine("push app docker://localhost:5000/app:1 --all", commands));
        assertTrue(ShellLine.isCommandLine("images", commands));
        assertFalse(ShellLine.isCommandLine("push 'app', to: 'oci:/x'", commands));
        assertFalse(ShellLine.isCommandLine("inspect('oci:/x').layers", commands));
        assertFalse(ShellLine.isCommandLine("def r = push 'app'", commands));
        assertFalse(ShellLine.isCommandLine("x = 21", commands));
        assertEquals(List.of("push", "my app", "a\"b", "c d"), ShellLine.words("push 'my app' \"a\\\"b\" c\\ d"));
    }
}
