package hoist.shell;

import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGINT (Ctrl-C) and SIGTERM on the command line stop a copy as Ctrl-C in the shell does: the
 * process exits with the signal's status and the destination layout is as it was, without the
 * blob that was being received.
 */
class SignalCancellationTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @CsvSource({"INT, 130", "TERM, 143"})
    void aSignalDuringACopyLeavesTheDestinationAsItWas(String signal, int expectedStatus) throws Exception {
        String source = TestImages.large(48);
        Path layout = temp.resolve("layout");
        TestImages.as(TestImages.multiLayer(), "oci", layout);
        Set<Path> before = files(layout);
        String indexBefore = Files.readString(layout.resolve("index.json"));

        // zstd at its slowest level keeps the copy busy long enough to be stopped mid-blob
        Process hoist = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--root", temp.resolve("store").toString(),
                "copy", "--force-compression", "--compression-format", "zstd", "--compression-level", "19",
                source, "oci:" + layout + ":big")
                .redirectErrorStream(true).redirectOutput(temp.resolve("output").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (files(layout).stream().noneMatch(SignalCancellationTest::incoming)) {
                assertTrue(hoist.isAlive(), () -> "the copy ended before it could be stopped: " + output());
                assertTrue(System.nanoTime() < deadline, "no blob was being received within 30 s");
                Thread.sleep(20);
            }
            new ProcessBuilder("kill", "-" + signal, String.valueOf(hoist.pid())).inheritIO().start().waitFor();
            assertTrue(hoist.waitFor(30, TimeUnit.SECONDS), "hoist did not exit after SIG" + signal);
        } finally {
            hoist.destroyForcibly();
        }
        assertEquals(expectedStatus, hoist.exitValue(), this::output);
        assertEquals(List.of(), files(layout).stream().filter(SignalCancellationTest::incoming).toList(), "partial files left");
        assertEquals(before, files(layout), "the layout's files are those it had");
        assertEquals(indexBefore, Files.readString(layout.resolve("index.json")));
    }

    @Test
    void sigtermDuringAShellCommandLeavesTheDestinationAsItWas() throws Exception {
        String source = TestImages.large(48);
        Path layout = temp.resolve("layout");
        TestImages.as(TestImages.multiLayer(), "oci", layout);
        Set<Path> before = files(layout);

        // the shell reading its lines from a pipe, which stays open: the command is running when the signal comes
        Process shell = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--root", temp.resolve("store").toString())
                .redirectErrorStream(true).redirectOutput(temp.resolve("output").toFile()).start();
        try {
            shell.getOutputStream().write(("copy --force-compression --compression-format zstd --compression-level 19 "
                    + source + " oci:" + layout + ":big\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            shell.getOutputStream().flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (files(layout).stream().noneMatch(SignalCancellationTest::incoming)) {
                assertTrue(shell.isAlive(), () -> "the shell ended before the copy could be stopped: " + output());
                assertTrue(System.nanoTime() < deadline, "no blob was being received within 40 s");
                Thread.sleep(20);
            }
            new ProcessBuilder("kill", "-TERM", String.valueOf(shell.pid())).inheritIO().start().waitFor();
            assertTrue(shell.waitFor(30, TimeUnit.SECONDS), "the shell did not exit after SIGTERM");
        } finally {
            shell.destroyForcibly();
        }
        assertEquals(143, shell.exitValue(), this::output);
        assertEquals(before, files(layout), "the layout's files are those it had: " + output());
    }

    private String output() {
        try {
            return Files.readString(temp.resolve("output"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static boolean incoming(Path file) {
        return file.getFileName().toString().contains(".incoming-");
    }

    private static Set<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(root::relativize).collect(Collectors.toSet());
        }
    }
}
