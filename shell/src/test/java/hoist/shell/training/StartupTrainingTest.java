package hoist.shell.training;

import hoist.engine.testing.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The start-up training runs every command it trains to the end, as the user would see them
 * succeed or fail: a command that breaks makes the launcher's cache miss what it loads, so the
 * training says so (exit status 1, the command on stderr) and this test fails.
 */
class StartupTrainingTest {

    @TempDir
    Path temp;

    @Test
    void everyTrainingCommandRunsAsExpectedAgainstTheInProcessRegistry() throws IOException {
        Path work = temp.resolve("work");
        Command.Result result = Command.exec(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StartupTraining.class.getName(), work.toString()),
                Map.of("XDG_STATE_HOME", temp.resolve("state").toString()));
        assertEquals("", result.err().strip(), "no training command failed");
        assertEquals(0, result.status());
        assertTrue(Files.isRegularFile(work.resolve("d/manifest.json")), "the copies ran");
        assertTrue(Files.readString(work.resolve("store/images.json")).contains("localhost/train:latest"), "the pull ran");
        assertTrue(Files.readString(work.resolve("graphroot/vfs-images/images.json")).contains("localhost/train:latest"),
                "the copy into containers-storage ran");
        try (var blobs = Files.list(work.resolve("registry/blobs"))) {
            // the OCI layout's layer and config, and the layer gzip-compressed again from containers-storage
            assertEquals(3, blobs.count(), "the pushes sent the layers and the config to the registry");
        }
    }
}
