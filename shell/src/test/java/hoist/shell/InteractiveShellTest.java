package hoist.shell;

import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real shell in a pseudo-terminal: its own JVM started the way the launcher starts it, keys
 * typed through tmux, the screen read back. One shell serves every test, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InteractiveShellTest {

    private static final Duration START = Duration.ofSeconds(40);
    private static final Duration STEP = Duration.ofSeconds(20);
    private static final Pattern PROMPT_AT_END = Pattern.compile("(?s).*\\nhoist>\\s*$");

    @TempDir
    static Path temp;

    private static Tmux tmux;
    private static String source;
    private static String image;

    @BeforeAll
    static void startShell() {
        source = TestImages.multiLayer();
        Cli.Run pulled = new Cli(temp.resolve("store")).run("pull", "-q", source);
        assertEquals(0, pulled.status(), pulled::toString);
        image = "localhost/multi:latest"; // an OCI REF names the image in localhost, as podman names it
        String java = ProcessHandle.current().info().command().orElse("java");
        tmux = Tmux.start(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                        "--root", temp.resolve("store").toString()),
                Map.of("XDG_STATE_HOME", temp.resolve("state").toString(),
                        "TERM", "xterm-256color"),
                200, 50);
        tmux.waitFor("the prompt", 0, START, screen -> screen.contains("hoist>"));
    }

    @AfterAll
    static void stopShell() {
        if (tmux != null) {
            tmux.close();
        }
    }

    /** Types the line, presses Enter, and returns what appears up to the next prompt. */
    private String run(String line, Duration timeout) {
        int mark = tmux.mark();
        tmux.type(line);
        tmux.send("Enter");
        return tmux.waitFor("the end of: " + line, mark, timeout,
                screen -> screen.lines().count() > 1 && PROMPT_AT_END.matcher(screen).matches());
    }

    /** Types {@code partial}, presses Tab, waits for what is expected, then discards the line. */
    private String complete(String partial, String... expected) {
        int mark = tmux.mark();
        tmux.type(partial);
        tmux.send("Tab");
        String screen = tmux.waitFor("completion of " + partial, mark, STEP,
                s -> List.of(expected).stream().allMatch(s::contains));
        tmux.send("C-e", "C-u");
        tmux.waitFor("an empty prompt", mark, STEP, s -> s.stripTrailing().endsWith("hoist>"));
        return screen;
    }

    @Test
    @Order(1)
    void tabCompletesCommandNames() {
        complete("pu", "push", "pull");
    }

    @Test
    @Order(2)
    void tabCompletesACommandsOptions() {
        complete("push --comp", "--compression-format", "--compression-level");
    }

    @Test
    @Order(3)
    void tabCompletesLocalImageNames() {
        complete("push localhost/mu", "push " + image);
    }

    @Test
    @Order(4)
    void pushShowsProgressBarsAndWritesTheImage() {
        Path destination = temp.resolve("pushed");
        String screen = run("push " + image + " oci:" + destination + ":v1", STEP);
        assertTrue(Pattern.compile("Copying blob [0-9a-f]{12} done").matcher(screen).find(), screen);
        assertTrue(screen.contains("Writing manifest to image destination"), screen);
        assertEquals(Skopeo.manifestDigest(source), Skopeo.manifestDigest("oci:" + destination + ":v1"));
    }

    @Test
    @Order(5)
    void anErrorIsOneLineAndTheShellGoesOn() {
        String screen = run("push localhost/absent:1 oci:" + temp.resolve("never") + ":x", STEP);
        assertEquals(1, screen.lines().filter(l -> l.startsWith("Error: ")).count(), screen);
        assertTrue(screen.contains("absent"), screen);
        assertFalse(Files.exists(temp.resolve("never")));
        assertTrue(run("images", STEP).contains("localhost/multi"));
    }

    @Test
    @Order(6)
    void ctrlCAtThePromptDropsTheLine() {
        int mark = tmux.mark();
        tmux.type("push something-half-typed");
        tmux.send("C-c");
        tmux.waitFor("a fresh prompt", mark, STEP, s -> s.stripTrailing().endsWith("hoist>"));
        String screen = run("images", STEP);
        assertTrue(screen.contains("localhost/multi"), screen);
        assertFalse(screen.contains("Error"), screen);
    }

    @Test
    @Order(7)
    void ctrlCCancelsTheRunningCommandAndLeavesNothingBehind() {
        String large = TestImages.large(48);
        Path destination = temp.resolve("cancelled");
        int mark = tmux.mark();
        // zstd at its slowest level keeps the copy busy long enough to be cancelled
        tmux.type("copy --force-compression --compression-format zstd --compression-level 19 " + large
                + " oci:" + destination + ":x");
        tmux.send("Enter");
        tmux.waitFor("a bar moving", mark, STEP, s -> s.contains("Copying blob") && s.contains("/s"));
        tmux.send("C-c");
        String screen = tmux.waitFor("the cancellation", mark, STEP, s -> PROMPT_AT_END.matcher(s).matches());
        assertTrue(screen.lines().anyMatch(l -> l.startsWith("Error: ") && l.contains("cancelled")), screen);
        assertFalse(Files.exists(destination), "the cancelled copy left " + destination);
        assertTrue(run("images", STEP).contains("localhost/multi"), "the shell goes on");
    }

    @Test
    @Order(8)
    void aGroovyVariableSetOnOneLineIsUsedOnTheNext() {
        run("x = 21", STEP);
        String screen = run("println x * 2", STEP);
        assertTrue(screen.lines().anyMatch(l -> l.strip().equals("42")), screen);
    }

    @Test
    @Order(9)
    void helpShowsACommandsUsage() {
        String screen = run("help push", STEP);
        assertTrue(screen.contains("Usage: hoist push"), screen);
        assertTrue(screen.contains("--compression-format"), screen);
    }

    @Test
    @Order(100)
    void exitLeavesAndTheHistoryIsKept() throws IOException {
        run("images", STEP);
        tmux.type("exit");
        tmux.send("Enter");
        tmux.waitFor("the shell to end", 0, STEP, s -> tmux.exited());
        Path historyFile = temp.resolve("state").resolve("hoist").resolve("history");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(historyFile)), "typed lines may hold secrets");
        List<String> history = Files.readAllLines(historyFile);
        assertTrue(history.stream().anyMatch(l -> l.endsWith("push " + image + " oci:" + temp.resolve("pushed") + ":v1")),
                history::toString);
        assertTrue(history.stream().anyMatch(l -> l.endsWith("images")), history::toString);
    }
}
