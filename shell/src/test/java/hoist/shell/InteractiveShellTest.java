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
    private static final String CONTINUATION = "...>";

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

    /** Types the line and presses Enter without waiting: for a line that is to go on. */
    private String enterExpectingMore(String line) {
        int mark = tmux.mark();
        tmux.type(line);
        tmux.send("Enter");
        return tmux.waitFor("the continuation prompt after: " + line, mark, STEP, s -> s.contains(CONTINUATION));
    }

    @Test
    @Order(0)
    void theShellStartsWithItsPromptAndNoBanner() {
        assertEquals("hoist>", tmux.screen().strip());
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
        // the terminal drops keys not yet read when Ctrl-C comes: the line is on the screen first
        tmux.waitFor("the line typed", mark, STEP, s -> s.contains("push something-half-typed"));
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
    @Order(10)
    void aDefinitionWithoutItsValueGoesOnOnTheNextLine() {
        enterExpectingMore("def y =");
        run("20", STEP);
        String screen = run("y + 1", STEP);
        assertTrue(screen.lines().anyMatch(l -> l.strip().equals("21")), screen);
    }

    @Test
    @Order(11)
    void anOpenBraceGoesOnWithAPlainContinuationPrompt() {
        String screen = enterExpectingMore("[1, 2].each {");
        assertFalse(screen.contains("add:"), screen);
        screen = run("println it * 10 }", STEP);
        assertTrue(screen.lines().anyMatch(l -> l.strip().equals("10")), screen);
        assertTrue(screen.lines().anyMatch(l -> l.strip().equals("20")), screen);
    }

    @Test
    @Order(12)
    void aMethodDefinedOnOneLineIsCalledOnTheNext() {
        run("def f() { 41 }", STEP);
        String screen = run("f() + 1", STEP);
        assertTrue(screen.lines().anyMatch(l -> l.strip().equals("42")), screen);
    }

    @Test
    @Order(13)
    void tabAfterAnOpenParenthesisKeepsIt() {
        String screen = complete("push(", "variables", "commands");
        assertTrue(screen.contains("hoist> push("), screen);
    }

    @Test
    @Order(14)
    void tabAfterADotOffersTheResultsProperties() {
        run("r = push('" + image + "', to: 'oci:" + temp.resolve("dotted") + ":v1')", STEP);
        String screen = complete("r.", "digest", "destinations", "failures", "succeeded");
        assertFalse(screen.contains("pull"), "no command is a property: " + screen);
    }

    @Test
    @Order(15)
    void aCommandLineExpandsGroovyVariables() {
        run("tag = 'v9'", STEP);
        Path destination = temp.resolve("expanded");
        String screen = run("push " + image + " \"oci:" + destination + ":${tag}\"", STEP);
        assertFalse(screen.contains("Error"), screen);
        assertEquals(Skopeo.manifestDigest(source), Skopeo.manifestDigest("oci:" + destination + ":v9"));
    }

    @Test
    @Order(16)
    void helpAloneDescribesTheShell() {
        String screen = run("help", STEP);
        assertTrue(screen.contains("Each line is a hoist command line or Groovy"), screen);
        assertTrue(screen.contains("history") && screen.contains("exit()") && screen.contains("push "), screen);
        assertFalse(screen.contains("Usage: hoist"), "the command line's usage is not the shell's: " + screen);
    }

    @Test
    @Order(17)
    void historyListsTheLinesTyped() {
        String screen = run("history", STEP);
        assertTrue(screen.lines().anyMatch(l -> l.matches("\\s*\\d+\\s+def f\\(\\) \\{ 41 \\}")), screen);
    }

    @Test
    @Order(18)
    void tabOffersTheTransportsTheEngineRegistered() {
        complete("copy " + image + " ", "oci:", "oci-archive:", "dir:", "docker-archive:", "docker://",
                "docker-daemon:", "containers-storage:", "local:");
    }

    @Test
    @Order(99)
    void clearEmptiesTheScreen() {
        tmux.type("clear");
        tmux.send("Enter");
        tmux.waitFor("an empty screen", 0, STEP, s -> tmux.visible().strip().equals("hoist>"));
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
