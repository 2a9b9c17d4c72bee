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
 * a temporary directory: plain http, optionally behind htpasswd Basic authentication. It accepts
 * signed Docker schema1 manifests, as registries holding old images do. Close it to stop it.
 */
public final class Registry implements AutoCloseable {

    private final Path dir;
    private final int port;
    private volatile Process process;
    private final boolean tls;

    private Registry(Path dir, int port, Process process, boolean tls) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.tls = tls;
    }

    /** A CA and a server certificate for 127.0.0.1 signed by it, made with openssl. */
    private static void makeCertificates(Path dir) throws IOException {
        String d = dir.toString();
        Command.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=hoist test CA",
                "-keyout", d + "/ca.key", "-out", d + "/ca.crt");
        Command.run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                "-keyout", d + "/server.key", "-out", d + "/server.csr");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        Command.run("openssl", "x509", "-req", "-in", d + "/server.csr", "-CA", d + "/ca.crt", "-CAkey", d + "/ca.key",
                "-CAcreateserial", "-days", "2", "-extfile", d + "/san.ext", "-out", d + "/server.crt");
    }

    /** The test CA's certificate (PEM), for {@code --cert-dir} or a certs.d directory. */
    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    /** An open registry: anyone may push and pull. */
    public static Registry start() {
        return start(null, null, false, null);
    }

    /**
     * An open registry serving https with a certificate for 127.0.0.1 signed by a CA made for
     * the test; {@link #caCertificate()} is that CA.
     */
    public static Registry startWithTls() {
        return start(null, null, true, null);
    }

    /** A registry that accepts Bearer tokens from {@code tokens} (auth.token), as Docker Hub and Harbor do. */
    public static Registry startWithTokens(TokenServer tokens) {
        return start(null, null, false, tokens);
    }

    /**
     * A registry that accepts Bearer tokens from {@code tokens} but sends clients for them to
     * {@code realm}: the token service's URL as seen through a proxy in front of it.
     */
    public static Registry startWithTokens(TokenServer tokens, String realm) {
        try {
            return start(null, null, false, tokens, realm, freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A registry that wants {@code user}/{@code password} (htpasswd, bcrypt). */
    public static Registry startWithPassword(String user, String password) {
        return start(user, password, false, null);
    }

    /** An open registry on {@code port} (one the caller chose, say to start it after a client is already trying). */
    public static Registry startOn(int port) {
        return start(null, null, false, null, port);
    }

    private static Registry start(String user, String password, boolean tls, TokenServer tokens) {
        try {
            return start(user, password, tls, tokens, freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Registry start(String user, String password, boolean tls, TokenServer tokens, int port) {
        return start(user, password, tls, tokens, tokens == null ? null : tokens.realm(), port);
    }

    private static Registry start(String user, String password, boolean tls, TokenServer tokens, String realm, int port) {
        try {
            Path dir = Files.createTempDirectory("hoist-registry-");
            StringBuilder config = new StringBuilder("""
                    version: 0.1
                    log:
                      level: warn
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                    validation:
                      manifests:
                        urls:
                          allow:
                            - ^https?://
                    compatibility:
                      schema1:
                        enabled: true
                    http:
                      addr: 127.0.0.1:%d
                      secret: hoist-test-upload-state
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
            if (tokens != null) {
                config.append("auth:\n  token:\n    realm: " + realm + "\n    service: " + TokenServer.SERVICE
                        + "\n    issuer: " + TokenServer.ISSUER + "\n    rootcertbundle: " + tokens.certificate() + "\n");
            }
            if (tls) {
                makeCertificates(dir);
                config.append("  tls:\n    certificate: " + dir.resolve("server.crt") + "\n    key: "
                        + dir.resolve("server.key") + "\n");
            }
            Files.writeString(dir.resolve("config.yml"), config);
            Process process = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
            Registry registry = new Registry(dir, port, process, tls);
            registry.awaitReady();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Kills the registry (SIGKILL, as a crash would) and starts it again on the same port and
     * storage {@code downFor} later, in the background; returns at once.
     */
    public void crashAndRestartAfter(java.time.Duration downFor) {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Thread restart = new Thread(() -> {
            try {
                Thread.sleep(downFor.toMillis());
                process = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile())).start();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("the registry did not restart", e);
            }
        }, "registry-restart");
        restart.setDaemon(true);
        restart.start();
    }

    /** A loopback port nothing listens on now. */
    public static int freePort() throws IOException {
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
            if (tls) {
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                    return;
                } catch (IOException e) {
                    sleepBriefly();
                    continue;
                }
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
            sleepBriefly();
        }
        throw new AssertionError("docker-registry did not start: " + Files.readString(dir.resolve("registry.log")));
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    /** Bytes of blob uploads in progress (not yet completed), as the registry keeps them on disk. */
    public long uploadingBytes() {
        Path repositories = dir.resolve("data/docker/registry/v2/repositories");
        if (!Files.exists(repositories)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(repositories)) {
            return walk.filter(p -> p.getFileName().toString().equals("data") && p.getParent().getParent() != null
                    && p.getParent().getParent().getFileName().toString().equals("_uploads"))
                    .mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0; // an upload finished while we looked
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
