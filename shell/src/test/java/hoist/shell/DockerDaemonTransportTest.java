package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.image.Json;
import hoist.engine.testing.Command;
import hoist.engine.testing.DockerDaemon;
import hoist.engine.testing.Registry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-daemon: against a real dockerd: images pushed in are what {@code docker image inspect}
 * sees, images docker loaded come out with their diff IDs, and a missing daemon, a missing image
 * and a failed load are each one error line that leaves nothing behind. hoist runs as its own
 * process here, since DOCKER_HOST is read from the environment.
 */
class DockerDaemonTransportTest {

    private static DockerDaemon docker;
    private static Registry registry;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() {
        docker = DockerDaemon.start();
        registry = Registry.start();
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (docker != null) {
            docker.close();
        }
    }

    private Command.Result hoistWith(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--root", temp.resolve("store").toString()));
        command.addAll(List.of(args));
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("TMPDIR", temp.toString());
        return Command.exec(command, all);
    }

    private Command.Result hoistWith(String dockerHost, String... args) {
        return hoistWith(Map.of("DOCKER_HOST", dockerHost), args);
    }

    private Command.Result hoist(String... args) {
        return hoistWith(docker.host(), args);
    }

    private static Command.Result ok(Command.Result result) {
        assertEquals(0, result.status(), () -> "stdout:\n" + result.out() + "\nstderr:\n" + result.err());
        return result;
    }

    /** The command failed with exactly one line on stderr, an Error: line containing every {@code needle}. */
    private static void assertOneErrorLine(Command.Result result, String... needles) {
        assertEquals(1, result.status(), result::err);
        List<String> lines = result.err().lines().filter(l -> !l.equals("Getting image source signatures")).toList();
        assertEquals(1, lines.size(), result::err);
        assertTrue(lines.get(0).startsWith("Error: "), result::err);
        for (String needle : needles) {
            assertTrue(lines.get(0).contains(needle), () -> "\"" + needle + "\" missing from " + result.err());
        }
        assertFalse(result.err().contains("\tat "), "no stack trace");
    }

    private static List<String> diffIds(String reference) {
        List<String> ids = new ArrayList<>();
        Skopeo.config(reference).path("rootfs").path("diff_ids").forEach(d -> ids.add(d.asText()));
        return ids;
    }

    private static String inspect(String format, String image) {
        return docker.run("image", "inspect", "--format", format, image).strip();
    }

    private static List<String> daemonLayers(String image) throws IOException {
        List<String> layers = new ArrayList<>();
        Json.read(inspect("{{json .RootFS.Layers}}", image).getBytes(StandardCharsets.UTF_8)).forEach(l -> layers.add(l.asText()));
        return layers;
    }

    private static JsonNode registryManifest(String reference) throws IOException {
        return Json.read(Command.run("skopeo", "inspect", "--tls-verify=false", "--raw", reference).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pushedFromALayoutAndFromTheLocalStoreDockerSeesTheImageWithItsIdAndTag() throws IOException {
        String original = TestImages.multiLayer();
        String configDigest = Skopeo.manifest(original).path("config").path("digest").asText();

        ok(hoist("copy", "-q", original, "docker-daemon:example.com/hoist/from-layout:1"));
        assertEquals(configDigest, inspect("{{.Id}}", "example.com/hoist/from-layout:1"));
        assertEquals("[example.com/hoist/from-layout:1]", inspect("{{.RepoTags}}", "example.com/hoist/from-layout:1"));
        assertEquals(diffIds(original), daemonLayers("example.com/hoist/from-layout:1"));

        String id = ok(hoist("pull", "-q", original)).out().strip();
        ok(hoist("push", "-q", id, "docker-daemon:from-store:2"));
        assertEquals(configDigest, inspect("{{.Id}}", "docker.io/library/from-store:2"), "a name without registry is docker.io/library/");
        assertTrue(inspect("{{.RepoTags}}", configDigest).contains("from-store:2"));
    }

    @Test
    void zstdLayersAreLoadedWithTheirDiffIdsWhateverTheDaemonsVersion() throws IOException {
        String original = TestImages.large(2);
        String zstd = "oci:" + temp.resolve("zstd") + ":z";
        ok(hoist("copy", "-q", "--compression-format", "zstd", original, zstd));
        assertEquals("application/vnd.oci.image.layer.v1.tar+zstd",
                Skopeo.manifest(zstd).path("layers").get(0).path("mediaType").asText());

        ok(hoist("copy", "-q", zstd, "docker-daemon:example.com/hoist/zstd:1"));

        assertEquals(diffIds(original), daemonLayers("example.com/hoist/zstd:1"));
        assertEquals(Skopeo.manifest(original).path("config").path("digest").asText(), inspect("{{.Id}}", "example.com/hoist/zstd:1"));
    }

    @Test
    void anImageDockerLoadedComesOutWithItsDiffIdsByNameAndById() throws IOException {
        String original = TestImages.multiLayer();
        Path archive = temp.resolve("skopeo.tar");
        TestImages.as(original, "docker-archive", archive);
        docker.run("load", "-i", archive.toString());
        String name = "docker-daemon:example.com/test/img:1";
        String id = inspect("{{.Id}}", "example.com/test/img:1");
        List<String> diffIds = diffIds(original);

        ok(hoist("copy", "-q", "-D", "--tls-verify=false", name, registry.ref("daemon/plain:1")));
        JsonNode plain = registryManifest(registry.ref("daemon/plain:1"));
        List<String> plainLayers = new ArrayList<>();
        plain.path("layers").forEach(l -> plainLayers.add(l.path("digest").asText()));
        assertEquals(diffIds, plainLayers, "uncompressed, the layers are the diff IDs");
        assertEquals(id, plain.path("config").path("digest").asText(), "the config is the daemon's, byte for byte");

        ok(hoist("copy", "-q", "--tls-verify=false", "docker-daemon:" + id, registry.ref("daemon/gzip:1")));
        JsonNode gzip = registryManifest(registry.ref("daemon/gzip:1"));
        gzip.path("layers").forEach(l -> assertEquals("application/vnd.docker.image.rootfs.diff.tar.gzip", l.path("mediaType").asText()));
        String back = "oci:" + temp.resolve("back") + ":x";
        Command.run(List.of("skopeo", "--insecure-policy", "copy", "-q", "--src-tls-verify=false", registry.ref("daemon/gzip:1"), back),
                Map.of());
        assertEquals(diffIds, diffIds(back));

        String byPrefix = "oci:" + temp.resolve("by-prefix") + ":x";
        ok(hoist("copy", "-q", "docker-daemon:" + id.substring("sha256:".length(), "sha256:".length() + 12), byPrefix));
        assertEquals(diffIds, diffIds(byPrefix));
    }

    @Test
    void aDaemonThatIsNotRunningIsOneErrorLineNamingDockerHost() throws IOException {
        String missing = "unix://" + temp.resolve("no-daemon.sock");
        assertOneErrorLine(hoistWith(missing, "inspect", "docker-daemon:busybox:latest"), missing, "DOCKER_HOST");
        assertOneErrorLine(hoistWith(missing, "copy", "-q", TestImages.multiLayer(), "docker-daemon:example.com/x/y:1"),
                missing, "DOCKER_HOST");

        Path stale = temp.resolve("stale.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(stale));
        }
        assertTrue(Files.exists(stale), "a socket file nobody listens on");
        assertOneErrorLine(hoistWith("unix://" + stale, "inspect", "docker-daemon:busybox:latest"), "unix://" + stale, "DOCKER_HOST",
                "refused");
    }

    @Test
    void reachesADaemonOverTcpWithTlsFromDockerCertPath() throws IOException {
        try (DockerDaemon secure = DockerDaemon.startWithTls()) {
            Map<String, String> tls = Map.of("DOCKER_HOST", secure.tlsHost(), "DOCKER_TLS_VERIFY", "1",
                    "DOCKER_CERT_PATH", secure.certPath().toString());
            String original = TestImages.multiLayer();
            ok(hoistWith(tls, "copy", "-q", original, "docker-daemon:example.com/hoist/tls:1"));
            assertEquals(Skopeo.manifest(original).path("config").path("digest").asText(),
                    secure.run("image", "inspect", "--format", "{{.Id}}", "example.com/hoist/tls:1").strip());
            String out = "oci:" + temp.resolve("over-tls") + ":x";
            ok(hoistWith(tls, "copy", "-q", "docker-daemon:example.com/hoist/tls:1", out));
            assertEquals(diffIds(original), diffIds(out));

            assertOneErrorLine(hoistWith(secure.tlsHost(), "inspect", "docker-daemon:example.com/hoist/tls:1"),
                    secure.tlsHost(), "DOCKER_HOST");
            Path caOnly = Files.createDirectories(temp.resolve("ca-only"));
            Files.copy(secure.certPath().resolve("ca.pem"), caOnly.resolve("ca.pem"));
            assertOneErrorLine(hoistWith(Map.of("DOCKER_HOST", secure.tlsHost(), "DOCKER_TLS_VERIFY", "1",
                    "DOCKER_CERT_PATH", caOnly.toString()), "inspect", "docker-daemon:example.com/hoist/tls:1"),
                    secure.tlsHost(), "DOCKER_HOST");
        }
    }

    @Test
    void aMissingImageIsOneErrorLineNamingIt() {
        Path target = temp.resolve("never");
        assertOneErrorLine(hoist("copy", "-q", "docker-daemon:example.com/none/such:1", "oci:" + target + ":x"),
                "docker-daemon:example.com/none/such:1", "no such image");
        assertFalse(Files.exists(target));
        String zeros = "0".repeat(64);
        assertOneErrorLine(hoist("inspect", "docker-daemon:sha256:" + zeros), "docker-daemon:sha256:" + zeros, "no image with ID");
        Command.Result nameOnly = hoist("inspect", "docker-daemon:busybox");
        assertEquals(2, nameOnly.status(), nameOnly::err);
        assertTrue(nameOnly.err().contains("neither a tag nor a digest"), nameOnly::err);
    }

    @Test
    void aLoadThatFailsHalfwayLeavesNothingInTheDaemon() throws IOException {
        Path layout = temp.resolve("damaged");
        Skopeo.copy(TestImages.multiLayer(), "oci:" + layout + ":img");
        Path largest;
        try (var blobs = Files.list(layout.resolve("blobs/sha256"))) {
            largest = blobs.max(Comparator.comparingLong(DockerDaemonTransportTest::size)).orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(largest.toFile(), "rw")) {
            file.seek(file.length() / 2);
            int b = file.read();
            file.seek(file.length() / 2);
            file.write(b ^ 0xff);
        }
        String imagesBefore = docker.run("images", "--all", "--quiet", "--no-trunc");

        Command.Result failed = hoist("copy", "-q", "oci:" + layout + ":img", "docker-daemon:example.com/hoist/damaged:1");

        assertOneErrorLine(failed, largest.getFileName().toString());
        Command.Result gone = Command.exec(docker.docker("image", "inspect", "example.com/hoist/damaged:1"), Map.of());
        assertNotEquals(0, gone.status(), "no image under the name");
        assertEquals(imagesBefore, docker.run("images", "--all", "--quiet", "--no-trunc"), "no image at all");
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
