package hoist.shell;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lines piped into the shell ({@code printf 'images\n' | hoist}): no prompt, results on stdout,
 * errors on stderr, every line run, and the exit status of the last line that failed.
 */
class PipedShellTest {

    @TempDir
    Path temp;

    /** How the shell ended with {@code input} on its stdin: exit status, stdout, stderr. */
    private record Ended(int status, String out, String err) {
    }

    private Ended shell(String input) throws IOException, InterruptedException {
        Path in = Files.writeString(temp.resolve("input"), input);
        Path out = temp.resolve("out");
        Path err = temp.resolve("err");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--root", temp.resolve("store").toString())
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the shell ended at the end of its input");
        return new Ended(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void aFailedLineSetsTheExitStatusAndNoPromptIsPrinted() throws Exception {
        Ended ended = shell("imagess\nimages\n[1, 2].each {\n  println \"item $it\"\n}\n");
        assertEquals(2, ended.status(), ended::toString);
        assertFalse(ended.out().contains("hoist>") || ended.err().contains("hoist>"), ended::toString);
        assertEquals(List.of("REPOSITORY  TAG  IMAGE ID  CREATED  SIZE", "item 1", "item 2"),
                ended.out().lines().limit(3).toList(), ended::toString);
        assertEquals("Error: unknown command \"imagess\"; did you mean images?", ended.err().strip(), ended::toString);
    }

    @Test
    void theLastFailureCountsNotTheLastLine() throws Exception {
        Ended ended = shell("inspect localhost/absent:1\nimagess\nimages\n");
        assertEquals(2, ended.status(), "the last failure was a usage error: " + ended);
        assertEquals(2, ended.err().lines().filter(l -> l.startsWith("Error: ")).count(), ended::toString);
        Ended failedOnce = shell("inspect localhost/absent:1\nimages\n");
        assertEquals(1, failedOnce.status(), failedOnce::toString);
        Ended fine = shell("images\nprintln 6 * 7\n");
        assertEquals(0, fine.status(), fine::toString);
        assertTrue(fine.out().contains("42"), fine::toString);
        assertEquals("", fine.err(), fine::toString);
    }
}
