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
    private final int tlsPort;

    private DockerDaemon(Path dir, Process process, int tlsPort) {
        this.dir = dir;
        this.process = process;
        this.tlsPort = tlsPort;
    }

    public static DockerDaemon start() {
        return start(false);
    }

    /**
     * A daemon that also listens on {@code tcp://127.0.0.1:PORT} with TLS, requiring a client
     * certificate: {@link #certPath()} holds {@code ca.pem}, {@code cert.pem} and {@code key.pem}
     * as {@code DOCKER_CERT_PATH} expects them (the key PKCS#1, as older openssl writes it).
     */
    public static DockerDaemon startWithTls() {
        return start(true);
    }

    private static DockerDaemon start(boolean tls) {
        try {
            Path dir = Files.createTempDirectory("hoist-dockerd-");
            Path socket = dir.resolve("docker.sock");
            List<String> command = new ArrayList<>(List.of("dockerd", "--storage-driver=vfs", "--iptables=false",
                    "--ip6tables=false", "--bridge=none", "--host", "unix://" + socket, "--data-root", dir.resolve("data").toString(),
                    "--exec-root", dir.resolve("exec").toString(), "--pidfile", dir.resolve("docker.pid").toString()));
            int port = -1;
            if (tls) {
                Path certs = Files.createDirectories(dir.resolve("certs"));
                makeCertificates(certs);
                try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                    port = free.getLocalPort();
                }
                command.addAll(List.of("--tlsverify", "--tlscacert", certs.resolve("ca.pem").toString(),
                        "--tlscert", certs.resolve("server-cert.pem").toString(), "--tlskey", certs.resolve("server-key.pem").toString(),
                        "--host", "tcp://127.0.0.1:" + port));
            }
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("dockerd.log").toFile()).start();
            DockerDaemon daemon = new DockerDaemon(dir, process, port);
            daemon.awaitReady();
            return daemon;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
    private static void makeCertificates(Path dir) throws IOException {
        String d = dir.toString();
        Command.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=hoist test daemon CA",
                "-keyout", d + "/ca-key.pem", "-out", d + "/ca.pem");
        Command.run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                "-keyout", d + "/server-key.pem", "-out", d + "/server.csr");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        Command.run("openssl", "x509", "-req", "-in", d + "/server.csr", "-CA", d + "/ca.pem", "-CAkey", d + "/ca-key.pem",
                "-CAcreateserial", "-days", "2", "-extfile", d + "/server.ext", "-out", d + "/server-cert.pem");
        Command.run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=hoist test client",
                "-keyout", d + "/client-key.pem", "-out", d + "/client.csr");
        Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        Command.run("openssl", "x509", "-req", "-in", d + "/client.csr", "-CA", d + "/ca.pem", "-CAkey", d + "/ca-key.pem",
                "-CAcreateserial", "-days", "2", "-extfile", d + "/client.ext", "-out", d + "/cert.pem");
        Command.run("openssl", "rsa", "-traditional", "-in", d + "/client-key.pem", "-out", d + "/key.pem");
    }

    /** {@code tcp://127.0.0.1:PORT}, with TLS; only for a daemon from {@link #startWithTls()}. */
    public String tlsHost() {
        if (tlsPort < 0) {
            throw new IllegalStateException("this daemon listens on its unix socket only");
        }
        return "tcp://127.0.0.1:" + tlsPort;
    }

    /** The directory for {@code DOCKER_CERT_PATH}; only for a daemon from {@link #startWithTls()}. */
    public Path certPath() {
        return dir.resolve("certs");
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
