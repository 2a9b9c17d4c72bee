package hoist.shell;

import hoist.dsl.command.InstallCommand;
import hoist.engine.testing.Command;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hoist install}: the launcher linked into a bin directory, where {@code #!/usr/bin/env hoist} finds it. */
class InstallTest {

    /** The checkout's launcher; the tests run in the shell module's directory. */
    private static final Path LAUNCHER = Path.of("..", "hoist").toAbsolutePath().normalize();

    @TempDir
    Path temp;

    @AfterEach
    void forgetTheLauncher() {
        System.clearProperty(InstallCommand.LAUNCHER_PROPERTY);
    }

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    @Test
    void installLinksTheLauncherWhereEnvFindsItAndSaysWhenThatIsNotOnPath() throws IOException {
        System.setProperty(InstallCommand.LAUNCHER_PROPERTY, LAUNCHER.toString());
        Path prefix = temp.resolve("prefix");
        Cli.Run install = hoist("install", "--prefix", prefix.toString());
        assertEquals(0, install.status(), install::toString);
        Path link = prefix.resolve("bin/hoist");
        assertTrue(Files.isSymbolicLink(link), install::toString);
        assertEquals(LAUNCHER.toRealPath(), link.toRealPath());
        assertTrue(install.out().startsWith("Linked " + link + " -> " + LAUNCHER.toRealPath()), install::toString);
        assertTrue(install.out().contains(prefix.resolve("bin") + " is not on PATH"), install::toString);

        assertEquals(0, hoist("install", "--prefix", prefix.toString()).status(), "installing again changes nothing");
        assertEquals(LAUNCHER.toRealPath(), link.toRealPath());

        // what a shebang line's env does: look hoist up on PATH
        String found = Command.run(List.of("bash", "-c", "command -v hoist"),
                Map.of("PATH", prefix.resolve("bin") + ":/usr/bin:/bin")).strip();
        assertEquals(link.toString(), found);
    }

    @Test
    void installLeavesAFileItDidNotMakeAndNeedsTheLauncher() throws IOException {
        Cli.Run unknown = hoist("install", "--prefix", temp.toString());
        assertEquals(1, unknown.status(), unknown::toString);
        assertTrue(unknown.err().contains("./hoist install"), unknown::toString);

        System.setProperty(InstallCommand.LAUNCHER_PROPERTY, LAUNCHER.toString());
        Path other = temp.resolve("bin/hoist");
        Files.createDirectories(other.getParent());
        Files.writeString(other, "someone else's\n");
        Cli.Run refused = hoist("install", "--prefix", temp.toString());
        assertEquals(1, refused.status(), refused::toString);
        assertTrue(refused.err().contains(other + " exists"), refused::toString);
        assertEquals("someone else's\n", Files.readString(other));
    }
}
