package hoist.shell;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Four processes write one embedded store at once for a bounded time: one pulls, one pushes, one
 * tags, one pulls an image sharing every blob with another and removes it again (each removal
 * sweeps unreferenced blobs while the others write). Every command succeeds, and afterwards
 * nothing is lost or corrupted: {@code check} passes, every image that should exist resolves,
 * every tag made and not removed is there, and every image pushes out with its digest.
 */
class LocalStoreConcurrencyTest {

    private static final long SECONDS = 12;

    @TempDir
    Path temp;

    @Test
    void fourProcessesPullPushTagAndRmiAtOnceLoseNothing() throws Exception {
        Path store = temp.resolve("store");
        Cli cli = new Cli(store);
        String a = LayeredLayouts.write(temp.resolve("a"), "a", 21, 200, 300);
        String b = LayeredLayouts.write(temp.resolve("b"), "b", 22, 250);
        // the same blobs and manifest as a, under another name: pulled and removed over and over
        String doomed = LayeredLayouts.write(temp.resolve("doomed"), "doomed", 21, 200, 300);
        String base = LayeredLayouts.write(temp.resolve("base"), "base", 23, 150, 150);
        ok(cli.run("pull", "-q", base));
        String baseDigest = digest(cli, base);

        long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(SECONDS);
        List<Process> workers = new ArrayList<>();
        for (String role : List.of("pull", "push", "tag", "rmi")) {
            workers.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Worker.class.getName(),
                    role, store.toString(), String.valueOf(deadline), a, b, doomed, temp.resolve("pushed").toString())
                    .redirectErrorStream(true).redirectOutput(temp.resolve(role + ".log").toFile()).start());
        }
        for (int i = 0; i < workers.size(); i++) {
            Process worker = workers.get(i);
            assertTrue(worker.waitFor(SECONDS + 120, TimeUnit.SECONDS), "a worker did not end");
            assertEquals(0, worker.exitValue(), () -> logs());
        }

        ok(cli.run("check"));
        assertEquals(digest(cli, a), digest(cli, "localhost/a:latest"), logs());
        assertEquals(digest(cli, b), digest(cli, "localhost/b:latest"));
        assertEquals(baseDigest, digest(cli, "localhost/base:latest"));
        List<String> tags = Files.readAllLines(temp.resolve("tag.log")).stream().filter(l -> l.startsWith("tagged "))
                .map(l -> l.substring("tagged ".length())).toList();
        assertTrue(tags.size() >= 3, logs());
        for (String tag : tags) {
            assertEquals(baseDigest, digest(cli, tag), "tag " + tag + " is kept");
        }
        assertTrue(count("rmi", "removed ") >= 2 && count("pull", "pulled ") >= 2 && count("push", "pushed ") >= 2, logs());
        for (String image : List.of("localhost/a:latest", "localhost/b:latest", "localhost/base:latest")) {
            Path out = temp.resolve("final-" + image.replaceAll("[^a-z]", ""));
            ok(cli.run("push", "-q", image, "oci:" + out + ":x"));
            assertEquals(digest(cli, image), digest(cli, "oci:" + out + ":x"), "the blobs of " + image + " push out whole");
        }
    }

    private static String digest(Cli cli, String ref) {
        return ok(cli.run("inspect", "--format", "{{.Digest}}", ref)).out().strip();
    }

    private long count(String role, String prefix) throws IOException {
        return Files.readAllLines(temp.resolve(role + ".log")).stream().filter(l -> l.startsWith(prefix)).count();
    }

    private String logs() {
        StringBuilder text = new StringBuilder();
        for (String role : List.of("pull", "push", "tag", "rmi")) {
            try {
                text.append("--- ").append(role).append('\n').append(Files.readString(temp.resolve(role + ".log")));
            } catch (IOException e) {
                text.append(e).append('\n');
            }
        }
        return text.toString();
    }

    /**
     * One of the four writers, run as a process of its own until the deadline: its role's command
     * again and again through hoist's command line, printing what it did; any failure ends it
     * with the command's status and output.
     */
    public static final class Worker {
        private final String root;

        private Worker(String root) {
            this.root = root;
        }

        public static void main(String[] args) {
            String role = args[0];
            Worker worker = new Worker(args[1]);
            long deadline = Long.parseLong(args[2]);
            String a = args[3];
            String b = args[4];
            String doomed = args[5];
            String pushed = args[6];
            // at least a few rounds each, however slow the machine
            for (int i = 0; i < 4 || System.currentTimeMillis() < deadline; i++) {
                switch (role) {
                    case "pull" -> {
                        worker.run("pull", "-q", i % 2 == 0 ? a : b);
                        System.out.println("pulled " + i);
                    }
                    case "push" -> {
                        worker.run("push", "-q", "localhost/base:latest", "oci:" + pushed + ":" + i);
                        System.out.println("pushed " + i);
                    }
                    case "tag" -> {
                        String tag = "localhost/tagged:" + i;
                        worker.run("tag", "localhost/base:latest", tag);
                        System.out.println("tagged " + tag);
                    }
                    case "rmi" -> {
                        worker.run("pull", "-q", doomed);
                        worker.run("rmi", "localhost/doomed:latest");
                        System.out.println("removed " + i);
                    }
                    default -> throw new IllegalArgumentException(role);
                }
            }
            System.exit(0);
        }

        private void run(String... args) {
            List<String> all = new ArrayList<>(List.of("--root", root));
            all.addAll(List.of(args));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = Main.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
            if (status != 0) {
                System.out.println("failed: " + String.join(" ", args) + "\n" + out + err);
                System.exit(status);
            }
        }
    }
}
