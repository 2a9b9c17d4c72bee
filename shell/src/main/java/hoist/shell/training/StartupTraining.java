package hoist.shell.training;

import hoist.shell.Main;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the commands whose start-up matters, in this one JVM, so that the JVM can record what they
 * load: the launcher runs it with {@code -XX:AOTCacheOutput=FILE} (JDK 25 and newer) or
 * {@code -XX:DumpLoadedClassList=FILE} (then {@code -Xshare:dump}, JDK 17-24).
 *
 * <p>Usage: {@code StartupTraining WORK_DIR}, where {@code WORK_DIR} is an empty directory the
 * training fills (a local store, an OCI layout, copies of it, an in-process registry's blobs) and
 * the caller deletes. What it runs, each through {@link Main#run}: {@code --version}, help, inspect
 * and copies between the file transports (gzip and zstd), the local store's pull, push, images and
 * check, a copy into a containers-storage store, pushes to a loopback registry from an OCI layout and
 * from that store, each then again (nothing to send), and an inspect of the result, a registry that refuses connections, a usage error, one line of Groovy, two pushes in one
 * script, and last the shell, reading its lines from standard input (piped, so without prompts).
 * Output goes nowhere; a command that fails where it should succeed is named on stderr and makes
 * the exit status 1, though what was recorded is still of use. With {@code -Dhoist.training.verbose=true}
 * each command's time is printed on stderr.
 */
public final class StartupTraining {

    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("Usage: StartupTraining WORK_DIR");
            System.exit(2);
        }
        // as Main.main: picocli must not start Groovy's runtime to look for closures
        System.setProperty("picocli.disable.closures", "true");
        System.exit(train(Path.of(args[0]).toAbsolutePath()) ? 0 : 1);
    }

    /** Runs every training command with its files under {@code work}; true when each did as expected. */
    static boolean train(Path work) throws IOException {
        Files.createDirectories(work);
        String store = work.resolve("store").toString();
        String src = TrainingImage.write(work.resolve("src"));
        List<String> failures = new ArrayList<>();
        Runs runs = new Runs(store, failures);
        runs.expect(0, "--version");
        runs.expect(0, "--help");
        runs.expect(0, "copy", "--help");
        runs.expect(0, "version");
        runs.expect(0, "inspect", src);
        runs.expect(0, "inspect", "--raw", src);
        runs.expect(0, "inspect", "--tree", src);
        runs.expect(0, "copy", src, "oci:" + work.resolve("o") + ":t", "dir:" + work.resolve("d"),
                "docker-archive:" + work.resolve("a.tar") + ":t:1", "oci-archive:" + work.resolve("oa.tar") + ":t");
        runs.expect(0, "copy", "-q", "--compression-format", "zstd", "--format", "oci", src, "oci:" + work.resolve("z") + ":t");
        runs.expect(0, "pull", src);
        runs.expect(0, "images");
        runs.expect(0, "push", "localhost/" + TrainingImage.TAG, "oci:" + work.resolve("p") + ":t");
        runs.expect(0, "check");
        String storage = "containers-storage:[vfs@" + work.resolve("graphroot") + "+" + work.resolve("runroot") + "]localhost/train";
        runs.expect(0, "copy", "-q", src, storage);
        try (TrainingRegistry registry = TrainingRegistry.start(work.resolve("registry"))) {
            String image = "docker://" + registry.host() + "/train:1";
            // the first push sends every blob; the second finds them all there, as most pushes do
            runs.expect(0, "push", "--tls-verify=false", src, image);
            runs.expect(0, "push", "--tls-verify=false", src, image);
            // the same from podman's and buildah's store, whose layers are compressed on the way
            runs.expect(0, "push", "--tls-verify=false", storage, image);
            runs.expect(0, "push", "--tls-verify=false", storage, image);
            runs.expect(0, "inspect", "--tls-verify=false", image);
            runs.expect(0, "list-tags", "--tls-verify=false", "docker://" + registry.host() + "/train");
            runs.expect(0, "-e", "2.times { push '" + src + "', to: '" + image + "', tlsVerify: false, quiet: true }");
        }
        runs.expect(1, "inspect", "--retry-times", "0", "docker://127.0.0.1:1/train:1");
        runs.expect(2, "copy", "--no-such-flag", "a", "b");
        runs.expect(0, "-e", "println 1");
        runs.expect(0); // the shell, its lines piped in
        failures.forEach(f -> System.err.println("training: " + f));
        return failures.isEmpty();
    }

    /** Runs command lines against one store, noting those that ended otherwise than expected. */
    private record Runs(String store, List<String> failures) {
        void expect(int status, String... args) {
            List<String> line = new ArrayList<>(List.of("--root", store));
            line.addAll(List.of(args));
            PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
            StringWriter errors = new StringWriter();
            int actual;
            long start = System.nanoTime();
            try {
                actual = Main.run(line.toArray(String[]::new), nowhere, new PrintWriter(errors, true));
            } catch (RuntimeException e) {
                failures.add(String.join(" ", args) + ": " + e);
                return;
            }
            if (Boolean.getBoolean("hoist.training.verbose")) {
                System.err.printf("training: %5d ms  %s%n", (System.nanoTime() - start) / 1_000_000, String.join(" ", args));
            }
            if (actual != status) {
                failures.add(String.join(" ", args) + ": exit status " + actual + ", expected " + status + ": "
                        + errors.toString().strip());
            }
        }
    }
}
