package hoist.shell;

import hoist.engine.testing.Command;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Start-up time is mostly class loading: a command must not load the libraries it does not use.
 * Each case runs the command line in a JVM of its own, with every library of the tests on the
 * class path, and reads which classes it loaded.
 */
class StartupTest {

    /** Libraries no plain command line needs: the Groovy DSL, the interactive shell's JLine, OpenPGP. */
    private static final List<String> NEVER = List.of("groovy.", "org.codehaus.groovy.", "org.apache.groovy.",
            "org.jline.", "org.bouncycastle.");
    /** Libraries only registry commands need. */
    private static final List<String> HTTP = List.of("okhttp3.", "okio.", "kotlin.");
    /** Libraries only commands that read images need. */
    private static final List<String> IMAGES = List.of("com.fasterxml.jackson.", "com.github.luben.",
            "org.apache.commons.compress.");

    @TempDir
    Path temp;

    @Test
    void versionAndHelpLoadNoJsonHttpCompressionOrGroovy() throws IOException {
        assertLoadsNone(List.of("--version"), "hoist version ", concat(NEVER, HTTP, IMAGES));
        assertLoadsNone(List.of("--help"), "Usage: hoist", concat(NEVER, HTTP, IMAGES));
        assertLoadsNone(List.of("copy", "--help"), "--compression-format", concat(NEVER, HTTP, IMAGES));
    }

    @Test
    void inspectAndCopyBetweenLayoutsLoadNoHttpOrGroovy() throws IOException {
        String source = TestImages.multiLayer();
        assertLoadsNone(List.of("inspect", source), "\"Layers\"", concat(NEVER, HTTP));
        String destination = "oci:" + temp.resolve("copy") + ":copied";
        // with progress: plain lines, as stderr is not a terminal
        assertLoadsNone(List.of("copy", source, destination, "dir:" + temp.resolve("dir")), "", concat(NEVER, HTTP));
        assertTrue(Files.exists(temp.resolve("dir/manifest.json")), "the copy ran");
    }

    private void assertLoadsNone(List<String> args, String expectedOutput, List<String> forbidden) throws IOException {
        Path log = Files.createTempFile(temp, "classes", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off", "-Xlog:class+load=info:file=" + log,
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--root", temp.resolve("store").toString()));
        command.addAll(args);
        Command.Result result = Command.exec(command, Map.of());
        assertEquals(0, result.status(), () -> args + " failed: " + result.err());
        assertTrue(result.out().contains(expectedOutput), () -> args + " printed: " + result.out());
        List<String> loaded = Files.readAllLines(log).stream()
                .map(line -> line.replaceFirst("^.*\\[class,load\\] ", "").split(" ")[0])
                .toList();
        assertTrue(loaded.contains(Main.class.getName()), "the class log is read: " + loaded.size() + " lines");
        List<String> unwanted = loaded.stream().filter(name -> forbidden.stream().anyMatch(name::startsWith)).toList();
        assertEquals(List.of(), unwanted, args + " loaded classes it does not need");
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
