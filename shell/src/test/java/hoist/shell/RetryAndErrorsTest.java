package hoist.shell;

import hoist.engine.testing.Command;
import hoist.engine.testing.Registry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --retry rides out a registry that is not up yet or crashes mid-push; errors name what failed once. */
class RetryAndErrorsTest {

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void aRegistryThatComesUpTwoSecondsLaterIsRetried() throws Exception {
        int port = Registry.freePort();
        CompletableFuture<Registry> later = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Registry.startOn(port);
        });
        try {
            String image = TestImages.multiLayer();
            Cli.Run push = hoist("copy", "-q", "--tls-verify=false", "--retry", "4", "--retry-delay", "1s", image,
                    "docker://127.0.0.1:" + port + "/late/app:1");
            assertEquals(0, push.status(), push::toString);
            assertEquals(Skopeo.rawManifest(image), Command.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
                    "docker://127.0.0.1:" + port + "/late/app:1"), Map.of()), "skopeo reads what was pushed");
            Cli.Run back = hoist("copy", "-q", "--tls-verify=false", "docker://127.0.0.1:" + port + "/late/app:1",
                    "oci:" + temp.resolve("back") + ":x");
            assertEquals(0, back.status(), back::toString);
            assertEquals(Skopeo.rawManifest(image), Skopeo.rawManifest("oci:" + temp.resolve("back") + ":x"));
        } finally {
            later.get(30, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void aRegistryThatCrashesMidPushAndComesBackIsRetried() throws Exception {
        String image = TestImages.large(48);
        try (Registry registry = Registry.start()) {
            String target = registry.ref("crash/app:1");
            CompletableFuture<Cli.Run> push = CompletableFuture.supplyAsync(() -> hoist("copy", "-q",
                    "--tls-verify=false", "--retry", "5", "--retry-delay", "1s", image, target));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (registry.uploadingBytes() < 4L * 1024 * 1024 && !push.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(!push.isDone(), "the push was still running when the registry crashed");
            registry.crashAndRestartAfter(Duration.ofMillis(1500));
            Cli.Run run = push.get(120, TimeUnit.SECONDS);
            assertEquals(0, run.status(), run::toString);
            Cli.Run back = hoist("copy", "-q", "--tls-verify=false", target, "oci:" + temp.resolve("back") + ":x");
            assertEquals(0, back.status(), back::toString);
            assertEquals(Skopeo.rawManifest(image), Skopeo.rawManifest("oci:" + temp.resolve("back") + ":x"));
        }
    }

    @Test
    void eachFailedDestinationIsNamedOnceWithWhatWentWrong() throws Exception {
        String image = TestImages.multiLayer();
        String first = "docker://127.0.0.1:" + Registry.freePort() + "/gone/app:1";
        String second = "docker://127.0.0.1:" + Registry.freePort() + "/gone/app:2";
        Cli.Run one = hoist("copy", "-q", "--tls-verify=false", "--retry", "0", image, first);
        assertEquals(1, one.status(), one::toString);
        List<String> lines = one.err().strip().lines().toList();
        assertEquals(1, lines.size(), one::toString);
        assertTrue(lines.get(0).startsWith("Error: " + first + ": cannot reach 127.0.0.1:"), one::toString);
        assertTrue(lines.get(0).endsWith("connection refused"), one::toString);

        Cli.Run two = hoist("copy", "-q", "--retry", "0", image, first, second);
        assertEquals(1, two.status(), two::toString);
        List<String> both = two.err().strip().lines().toList();
        assertEquals(2, both.size(), two::toString);
        for (int i = 0; i < 2; i++) {
            String ref = i == 0 ? first : second;
            assertTrue(both.get(i).startsWith("Error: " + ref + ": "), two::toString);
            assertEquals(1, occurrences(both.get(i), ref), "the reference once: " + both.get(i));
        }
    }
}
