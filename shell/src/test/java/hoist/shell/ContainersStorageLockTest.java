package hoist.shell;

import hoist.engine.testing.Buildah;
import hoist.engine.testing.Command;
import hoist.engine.testing.Registry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** hoist takes containers/storage's locks as podman and buildah do, so neither corrupts the other's view. */
class ContainersStorageLockTest {

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    @Test
    void buildahCommittingWhileHoistPushesBothFinishAndAgree() throws Exception {
        Buildah buildah = new Buildah(temp.resolve("cs"), "vfs");
        buildah.buildRichImage("localhost/rich");
        List<String> diffIds = buildah.diffIds("localhost/rich");
        try (Registry registry = Registry.start()) {
            CompletableFuture<List<String>> committing = CompletableFuture.supplyAsync(() -> {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    int n = i;
                    ids.add(buildah.commit("localhost/rich", "localhost/loop:" + i,
                            rootfs -> Files.writeString(rootfs.resolve("loop-" + n), "loop " + n + "\n")));
                }
                return ids;
            });
            for (int i = 0; i < 3; i++) {
                Cli.Run run = hoist("push", "-q", "-D", "--tls-verify=false", buildah.ref("localhost/rich"),
                        registry.ref("locked/rich:" + i));
                assertEquals(0, run.status(), run::toString);
            }
            List<String> committed = committing.get(3, TimeUnit.MINUTES);
            assertEquals(3, committed.size());
            // every image buildah committed meanwhile is whole: hoist reads each one back, every layer verified
            for (int i = 0; i < 3; i++) {
                Path out = temp.resolve("loop-" + i);
                Cli.Run run = hoist("copy", "-q", "-D", buildah.ref("localhost/loop:" + i), "oci:" + out + ":x");
                assertEquals(0, run.status(), run::toString);
            }
            String listed = buildah.run("images", "--noheading", "--no-trunc", "--format", "{{.ID}}");
            for (String id : committed) {
                assertTrue(listed.contains(id.replace("sha256:", "")), listed);
            }
        }
        assertEquals(diffIds, buildah.diffIds("localhost/rich"));
    }

    @Test
    void aStoreLockedTooLongIsOneErrorLineAfterABoundedWait() throws Exception {
        Buildah buildah = new Buildah(temp.resolve("cs"), "vfs");
        buildah.commit("scratch", "localhost/small", rootfs -> Files.writeString(rootfs.resolve("f"), "f\n"));
        Path lock = buildah.root().resolve("vfs-layers/layers.lock");
        Process holder = holdLock(lock);
        String previous = System.getProperty("hoist.storage.lockTimeout");
        System.setProperty("hoist.storage.lockTimeout", "1");
        try {
            long start = System.nanoTime();
            Path out = temp.resolve("out");
            Cli.Run run = hoist("copy", "-q", buildah.ref("localhost/small"), "oci:" + out + ":x");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertEquals(1, run.status(), run::toString);
            List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
            assertEquals(1, lines.size(), run::toString);
            assertTrue(lines.get(0).startsWith("Error: ") && lines.get(0).contains("layers.lock is locked by another process"),
                    run::toString);
            assertTrue(seconds < 10, "waited " + seconds + " s");
            assertFalse(Files.exists(out));
        } finally {
            if (previous == null) {
                System.clearProperty("hoist.storage.lockTimeout");
            } else {
                System.setProperty("hoist.storage.lockTimeout", previous);
            }
            holder.destroy();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Another process holding an exclusive fcntl lock on {@code file} until it is killed. */
    private Process holdLock(Path file) throws IOException, InterruptedException {
        Path source = temp.resolve("Hold.java");
        Files.writeString(source, """
                import java.nio.channels.FileChannel;
                import java.nio.file.*;
                public class Hold {
                    public static void main(String[] a) throws Exception {
                        FileChannel c = FileChannel.open(Path.of(a[0]), StandardOpenOption.READ, StandardOpenOption.WRITE);
                        c.lock();
                        System.out.println("locked");
                        System.out.flush();
                        Thread.sleep(600_000);
                    }
                }
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, source.toString(), file.toString()).redirectErrorStream(true).start();
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream())).readLine();
        assertEquals("locked", line);
        return process;
    }
}
