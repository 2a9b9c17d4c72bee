package hoist.shell;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import hoist.dsl.runner.CommandRunner;
import hoist.dsl.Session;
import hoist.engine.copy.ProgressListener;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsageErrorsTest {

    @TempDir
    Path root;

    private void assertUsageError(Cli.Run run, String expected) {
        assertEquals(2, run.status(), run::toString);
        assertTrue(run.err().startsWith("Error: "), run::toString);
        assertTrue(run.err().contains(expected), run::toString);
        assertEquals(1, run.err().strip().lines().count(), "one line: " + run);
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run);
    }

    @Test
    void aMistypedCommandSuggestsTheRightOne() {
        assertUsageError(new Cli(root).run("pussh", "x"), "did you mean push");
    }

    @Test
    void unknownOptionsAndBadValuesAreUsageErrors() {
        Cli cli = new Cli(root);
        assertUsageError(cli.run("copy", "--bogus", "oci:/a", "oci:/b"), "--bogus");
        assertUsageError(cli.run("copy", "--format", "v3", "oci:/a", "oci:/b"), "v3");
        assertUsageError(cli.run("copy", "--compression-format", "lz4", "oci:/a", "oci:/b"), "lz4");
        assertUsageError(cli.run("copy", "nonsense:/a", "oci:/b"), "nonsense");
        assertUsageError(cli.run("copy", "oci:/a"), "DESTINATION");
    }

    @Test
    void anUnknownOptionIsNamedAsUnknownByEveryCommand() {
        Cli cli = new Cli(root);
        List<List<String>> commands = new ArrayList<>();
        collect(new CommandRunner(new Session(TransportContext.defaults(), new PrintWriter(Writer.nullWriter()),
                new PrintWriter(Writer.nullWriter()), quiet -> ProgressListener.NONE)).commandLine(), List.of(), commands);
        assertTrue(commands.size() > 15, commands::toString);
        for (List<String> command : commands) {
            List<String> words = new ArrayList<>(command);
            words.add("--no-such-option");
            assertUsageError(cli.run(words.toArray(String[]::new)),
                    "unknown option \"--no-such-option\" for " + String.join(" ", command));
            words.add("x"); // and with an argument after it
            assertUsageError(cli.run(words.toArray(String[]::new)), "unknown option \"--no-such-option\"");
        }
        assertUsageError(cli.run("rmi", "--forc", "x"), "did you mean --force");
    }

    @Test
    void everyCommandReadsATransportPrefixTheSameWay() {
        Cli cli = new Cli(root);
        String missing = Stream.of("sif", "ostree", "tarball", "containers-storage", "docker-daemon")
                .filter(name -> !Transports.names().contains(name)).findFirst().orElseThrow();
        String ref = missing + ":localhost/a:1";
        String layout = "oci:" + root.resolve("never") + ":x";
        List<List<String>> uses = List.of(List.of("inspect", ref), List.of("copy", ref, layout), List.of("copy", layout, ref),
                List.of("pull", ref), List.of("push", "localhost/a:1", ref), List.of("manifest", "inspect", ref),
                List.of("manifest", "create", "localhost/list:1", ref), List.of("-e", "inspect '" + ref + "'"));
        for (List<String> use : uses) {
            Cli.Run run = cli.run(use.toArray(String[]::new));
            assertEquals(1, run.status(), run::toString);
            assertTrue(run.err().contains("the " + missing + " transport is not available"), run::toString);
            assertEquals(1, run.err().strip().lines().count(), run::toString);
        }
        for (List<String> use : List.of(List.of("inspect", "nonsense:/a"), List.of("pull", "nonsense:/a"),
                List.of("push", "localhost/a:1", "nonsense:/a"), List.of("manifest", "inspect", "nonsense:/a"))) {
            assertUsageError(cli.run(use.toArray(String[]::new)), "unknown transport \"nonsense\"");
        }
        for (List<String> use : List.of(List.of("inspect", "oci:"), List.of("pull", "dir:"), List.of("copy", "oci:", layout))) {
            assertUsageError(cli.run(use.toArray(String[]::new)), "invalid reference");
        }
    }

    /** Every runnable command's words: {@code push}, {@code manifest create}, ... */
    private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
        for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
            if (!sub.getKey().equals(sub.getValue().getCommandName()) || sub.getKey().equals("help")) {
                continue; // an alias, or help (which takes any word)
            }
            List<String> words = new ArrayList<>(path);
            words.add(sub.getKey());
            if (sub.getValue().getSubcommands().isEmpty()) {
                into.add(words);
            } else {
                collect(sub.getValue(), words, into);
            }
        }
    }

    @Test
    void versionAndHelpSucceed() {
        Cli cli = new Cli(root);
        Cli.Run version = cli.run("--version");
        assertEquals(0, version.status(), version::toString);
        assertTrue(version.out().startsWith("hoist version "), version::toString);
        Cli.Run help = cli.run("push", "--help");
        assertEquals(0, help.status(), help::toString);
        assertTrue(help.out().contains("--compression-format"), help::toString);
        Cli.Run helpCommand = cli.run("help", "push");
        assertEquals(0, helpCommand.status(), helpCommand::toString);
        assertEquals(help.out(), helpCommand.out());
    }
}
