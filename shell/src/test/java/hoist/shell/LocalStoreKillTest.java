package hoist.shell;

import hoist.engine.testing.Registry;
import hoist.engine.testing.StartedRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hoist pull} into the embedded store killed with SIGKILL at random moments of the pull
 * (a seeded random over the pull's measured length, the registry's answers slowed so that the
 * moments fall while blobs arrive, are published and the index is written): after each kill
 * {@code check} passes, no half-written blob is visible, and a rerun completes with the source's
 * digests; what the killed writers left is collected by the next writer.
 */
class LocalStoreKillTest {

    private static final int KILLS = 30;
    private static final long SLOW = 1024 * 1024;

    @StartedRegistry
    private static Registry registry;

    @TempDir
    Path temp;

    @Test
    void pullKilledAtRandomMomentsLeavesACheckedStoreAndARerunCompletes() throws Exception {
        Cli cli = new Cli(temp.resolve("store"));
        String layout = LayeredLayouts.write(temp.resolve("layout"), 7, 150, 300, 450, 600);
        ok(cli.run("copy", "-q", "--dest-tls-verify=false", layout, registry.ref("faults/app:1")));
        String manifestDigest = ok(cli.run("inspect", "--format", "{{.Digest}}", layout)).out().strip();
        ok(cli.run("copy", "-q", "--dest-tls-verify=false", LayeredLayouts.write(temp.resolve("warm"), "warm", 8, 20),
                registry.ref("faults/warm:1")));
        String configDigest = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(ok(cli.run("inspect", "--raw", layout)).out()).path("config").path("digest").asText();
        try (ThrottlingProxy proxy = ThrottlingProxy.start(Integer.parseInt(registry.host().split(":")[1]), SLOW)) {
            String source = "docker://" + proxy.host() + "/faults/app:1";
            String[] pull = {"--root", temp.resolve("store").toString(), "pull", "-q", "--tls-verify=false", source};
            new RandomKills(temp, this::warmUp).run(pull, KILLS, 20261129L, after -> {
                Cli.Run check = cli.run("check");
                assertEquals(0, check.status(), () -> after + ": " + check);
                assertNoHalfBlobs(after);

                proxy.rate(0);
                String id = ok(cli.run("pull", "-q", "--tls-verify=false", source)).out().strip();
                proxy.rate(SLOW);
                assertEquals(configDigest, "sha256:" + id, after);
                assertEquals(manifestDigest, ok(cli.run("inspect", "--format", "{{.Digest}}", "local:" + proxy.host()
                        + "/faults/app:1")).out().strip(), after);
                assertEquals(List.of(), entries(temp.resolve("store/tmp")), after + ": what the killed pull left is collected");
                assertEquals(List.of(), entries(temp.resolve("store")).stream()
                        .filter(p -> p.getFileName().toString().startsWith(".")).toList(),
                        after + ": no temporary file is left in the store");
                ok(cli.run("rmi", "-a"));
            });
        }
    }

    /** A small pull like the one to come, into a store of its own: what a process runs before it is ready. */
    private String[] warmUp(int process) {
        return new String[] {"--root", temp.resolve("warm-store" + process).toString(), "pull", "-q", "--tls-verify=false",
                registry.ref("faults/warm:1")};
    }

    /** Every file in the blob directory is a whole blob: named by a digest (check verified the content). */
    private void assertNoHalfBlobs(String when) throws IOException {
        for (Path file : entries(temp.resolve("store/blobs/sha256"))) {
            assertTrue(file.getFileName().toString().matches("[0-9a-f]{64}"), when + ": " + file);
        }
    }

    private static List<Path> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
