package hoist.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real dockerd of the test's own: vfs storage, no networking, listening on a unix socket in a
 * temporary directory. Close it to stop it.
 */
public final class DockerDaemon implements AutoCloseable {

    private final Path dir;
    private final Process process;

    private DockerDaemon(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    public static DockerDaemon start() {
        try {
            Path dir = Files.createTempDirectory("hoist-dockerd-");
            Path socket = dir.resolve("docker.sock");
            Process process = new ProcessBuilder("dockerd", "--storage-driver=vfs", "--iptables=false", "--ip6tables=false",
                    "--bridge=none", "--host", "unix://" + socket, "--data-root", dir.resolve("data").toString(),
                    "--exec-root", dir.resolve("exec").toString(), "--pidfile", dir.resolve("docker.pid").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("dockerd.log").toFile()).start();
            DockerDaemon daemon = new DockerDaemon(dir, process);
            daemon.awaitReady();
            return daemon;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("dockerd exited: " + Files.readString(dir.resolve("dockerd.log")));
            }
            if (Command.exec(docker("version"), Map.of()).status() == 0) {
                return;
            }
            sleep();
        }
        close();
        throw new AssertionError("dockerd did not start within 60 s: " + Files.readString(dir.resolve("dockerd.log")));
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The docker client command line talking to this daemon. */
    public List<String> docker(String... args) {
        List<String> command = new ArrayList<>(List.of("docker", "-H", "unix://" + dir.resolve("docker.sock")));
        command.addAll(List.of(args));
        return command;
    }

    public String run(String... args) {
        return Command.run(docker(args), Map.of());
    }

    /** {@code unix://...} for DOCKER_HOST. */
    public String host() {
        return "unix://" + dir.resolve("docker.sock");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Command.exec(List.of("rm", "-rf", dir.toString()), Map.of());
    }
}
