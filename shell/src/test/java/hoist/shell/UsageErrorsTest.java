package hoist.shell;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

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
