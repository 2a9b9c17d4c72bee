package hoist.shell;

import hoist.engine.testing.Buildah;
import hoist.engine.testing.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The shell with {@code --storage containers-storage}: Tab offers the names of buildah's images
 * for a bare image name (and not those of hoist's own store), and {@code exit(3)} typed as Groovy
 * leaves the shell with status 3.
 */
class ShellStorageCompletionTest {

    private static final Duration START = Duration.ofSeconds(40);
    private static final Duration STEP = Duration.ofSeconds(20);

    private static Path dir;
    private static Tmux tmux;

    @BeforeAll
    static void startShellOnBuildahsStore() throws IOException {
        dir = Files.createTempDirectory("hoist-shell-storage-");
        Buildah buildah = new Buildah(dir, "vfs");
        buildah.commit("scratch", "localhost/from-buildah:1", rootfs -> Files.writeString(rootfs.resolve("hello"), "hello\n"));
        Path storageConf = Files.writeString(dir.resolve("storage.conf"), "[storage]\ndriver = \"vfs\"\ngraphroot = \""
                + buildah.root() + "\"\nrunroot = \"" + buildah.runRoot() + "\"\n");
        String java = ProcessHandle.current().info().command().orElse("java");
        // sh waits for hoist and prints its exit status on the screen: tmux does not always collect
        // the status of a JVM that was its pane's first process
        tmux = Tmux.start(List.of("sh", "-c", "\"$@\"; echo \"hoist exited with status $?\"", "sh",
                        java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                        "--root", dir.resolve("store").toString(), "--storage", "containers-storage"),
                Map.of("XDG_STATE_HOME", dir.resolve("state").toString(), "TERM", "xterm-256color",
                        "CONTAINERS_STORAGE_CONF", storageConf.toString(),
                        "HOIST_CONFIG", dir.resolve("no-such-hoist.conf").toString()),
                160, 40);
        tmux.waitFor("the prompt", 0, START, screen -> screen.contains("hoist>"));
    }

    @AfterAll
    static void stop() {
        if (tmux != null) {
            tmux.close();
        }
        Command.exec(List.of("rm", "-rf", dir.toString()), Map.of());
    }

    @Test
    void tabOffersBuildahsImagesAndExitWithAStatusLeaves() {
        int mark = tmux.mark();
        tmux.type("push localhost/from-b");
        tmux.send("Tab");
        String screen = tmux.waitFor("the buildah image's name", mark, STEP, s -> s.contains("push localhost/from-buildah:1"));
        assertFalse(screen.contains("Error"), screen);
        tmux.send("C-e", "C-u");
        tmux.waitFor("an empty prompt", mark, STEP, s -> s.stripTrailing().endsWith("hoist>"));
        tmux.type("exit(3)");
        tmux.send("Enter");
        tmux.waitFor("the shell to end with status 3", mark, STEP, s -> s.contains("hoist exited with status 3"));
    }
}
