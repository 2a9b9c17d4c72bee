package hoist.shell;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hoist completion bash|zsh}: the script generated from the command model, sourced in a
 * real bash and a real zsh at a terminal, completes hoist's commands, a command's options and an
 * option's values when Tab is pressed.
 */
class CompletionScriptTest {

    private static final Duration STEP = Duration.ofSeconds(20);

    @TempDir
    Path temp;

    private Path script(String shell) throws IOException {
        Cli.Run run = new Cli(temp.resolve("store")).run("completion", shell);
        assertEquals(0, run.status(), run::toString);
        assertTrue(run.out().contains("complete -F"), run::toString);
        return Files.writeString(temp.resolve("hoist-completion." + shell), run.out());
    }

    @Test
    void bashCompletesCommandsOptionsAndValues() throws IOException {
        tabsIn(List.of("bash", "--norc", "--noprofile"), script("bash"));
    }

    @Test
    void zshCompletesCommandsOptionsAndValues() throws IOException {
        tabsIn(List.of("zsh", "-f"), script("zsh"));
    }

    @Test
    void anUnknownShellIsAUsageError() {
        Cli.Run run = new Cli(temp.resolve("store")).run("completion", "fish");
        assertEquals(2, run.status(), run::toString);
        assertTrue(run.err().startsWith("Error: "), run::toString);
    }

    private void tabsIn(List<String> shell, Path script) {
        try (Tmux tmux = Tmux.start(shell, Map.of("HOME", temp.toString(), "PS1", "$ ", "TERM", "xterm"), 150, 40)) {
            tmux.type("PS1='ready> '; source " + script + "; echo sourced");
            tmux.send("Enter");
            tmux.waitFor("the script sourced", 0, STEP, s -> s.contains("\nsourced"));
            expect(tmux, "hoist pu", "push", "pull");
            expect(tmux, "hoist push --compression-f", "hoist push --compression-format");
            expect(tmux, "hoist push --compression-format ", "gzip", "zstd");
        }
    }

    /** Types {@code typed}, presses Tab twice, waits for every one of {@code expected}, clears the line. */
    private static void expect(Tmux tmux, String typed, String... expected) {
        int mark = tmux.mark();
        tmux.type(typed);
        tmux.send("Tab");
        tmux.send("Tab");
        tmux.waitFor("completion of " + typed, mark, STEP, s -> List.of(expected).stream().allMatch(s::contains));
        tmux.send("C-e", "C-u");
        tmux.waitFor("an empty prompt", mark, STEP, s -> s.stripTrailing().endsWith("ready>"));
    }
}
