package hoist.engine.testing;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real distribution registry ({@code docker-registry}) on a loopback port of its own, storing in
 * a temporary directory: plain http, optionally behind htpasswd Basic authentication. Close it to
 * stop it.
 */
public final class Registry implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final Process process;

    private Registry(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** An open registry: anyone may push and pull. */
    public static Registry start() {
        return start(null, null);
    }

    /** A registry that wants {@code user}/{@code password} (htpasswd, bcrypt). */
    public static Registry startWithPassword(String user, String password) {
        return start(user, password);
    }

    private static Registry start(String user, String password) {
        try {
            Path dir = Files.createTempDirectory("hoist-registry-");
            int port = freePort();
            StringBuilder config = new StringBuilder("""
                    version: 0.1
                    log:
                      level: warn
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:%d
                    """.formatted(dir.resolve("data"), port));
            if (user != null) {
                byte[] salt = new byte[16];
                new SecureRandom().nextBytes(salt);
                Files.writeString(dir.resolve("htpasswd"),
                        user + ":" + OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 6) + "\n");
                config.append("""
                        auth:
                          htpasswd:
                            realm: hoist-test
                            path: %s
                        """.formatted(dir.resolve("htpasswd")));
            }
            Files.writeString(dir.resolve("config.yml"), config);
            Process process = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
            Registry registry = new Registry(dir, port, process);
            registry.awaitReady();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/v2/").openConnection();
                connection.setConnectTimeout(500);
                int code = connection.getResponseCode();
                if (code == 200 || code == 401) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("docker-registry did not start: " + Files.readString(dir.resolve("registry.log")));
    }

    /** {@code 127.0.0.1:PORT}. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** {@code docker://127.0.0.1:PORT/REPOSITORY}. */
    public String ref(String repositoryAndTag) {
        return "docker://" + host() + "/" + repositoryAndTag;
    }

    /** Bytes stored for blobs, as the registry keeps them on disk. */
    public long storedBlobBytes() {
        Path blobs = dir.resolve("data/docker/registry/v2/blobs");
        if (!Files.exists(blobs)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(blobs)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("registry.log"));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        Command.exec(java.util.List.of("rm", "-rf", dir.toString()), java.util.Map.of());
    }
}
