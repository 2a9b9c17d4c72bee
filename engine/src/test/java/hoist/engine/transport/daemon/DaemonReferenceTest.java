package hoist.engine.transport.daemon;

import hoist.engine.HoistException;
import hoist.engine.transport.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference forms of docker-daemon:, DOCKER_HOST, and the HTTP framing of the Engine API client. */
class DaemonReferenceTest {

    private static final String HEX = "b9e5bd7318c02c25c91e4bbd97a4fefe12446d01d55ebfa6630a06e5fb5c63e3";

    private static DaemonReference parse(String text) {
        return (DaemonReference) Transports.parse(text);
    }

    @Test
    void namesWithoutRegistryGetDockerHubAndLibrary() {
        DaemonReference busybox = parse("docker-daemon:busybox:latest");
        assertEquals("docker.io/library/busybox:latest", busybox.name().toString());
        assertEquals("docker-daemon:busybox:latest", busybox.text());
        assertEquals("docker.io/team/app:1", parse("docker-daemon:team/app:1").name().toString());
        assertEquals("example.com/ns/foo:bar", parse("docker-daemon:example.com/ns/foo:bar").name().toString());
        assertEquals("docker-daemon:busybox:latest", parse("docker-daemon:docker.io/library/busybox:latest").text());
        assertEquals("docker.io/library/busybox@sha256:" + HEX, parse("docker-daemon:busybox@sha256:" + HEX).name().toString());
    }

    @Test
    void imageIdsAndPrefixes() {
        DaemonReference full = parse("docker-daemon:sha256:" + HEX);
        assertTrue(full.isId() && full.isFullId());
        assertEquals("docker-daemon:sha256:" + HEX, full.text());
        assertTrue(full.dockerReference().isEmpty());
        DaemonReference prefix = parse("docker-daemon:b9e5bd73");
        assertTrue(prefix.isId());
        assertFalse(prefix.isFullId());
        assertEquals("docker-daemon:b9e5bd73", prefix.text());
        assertEquals("b9e5", parse("docker-daemon:sha256:b9e5").idPrefix());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "busybox", "UPPERCASEISINVALID", "busybox:latest@sha256:" + HEX,
            "sha512:" + HEX + HEX, "sha256:" + HEX + "ab", "sha256:XX23", "sha256:latest"})
    void refusedAsContainersImageRefusesThem(String details) {
        HoistException e = assertThrows(HoistException.class, () -> Transports.parse("docker-daemon:" + details));
        assertEquals(HoistException.USAGE, e.exitStatus(), e.getMessage());
        assertTrue(e.getMessage().contains("docker-daemon:" + details), e.getMessage());
    }

    @Test
    void dockerHostFromTheEnvironment() {
        DockerHost unset = DockerHost.fromEnvironment(Map.of());
        assertEquals(Path.of("/var/run/docker.sock"), unset.socketPath());
        DockerHost unix = DockerHost.fromEnvironment(Map.of("DOCKER_HOST", "unix:///tmp/d.sock"));
        assertEquals(Path.of("/tmp/d.sock"), unix.socketPath());
        DockerHost plain = DockerHost.fromEnvironment(Map.of("DOCKER_HOST", "tcp://10.0.0.1"));
        assertEquals("10.0.0.1", plain.host());
        assertEquals(2375, plain.port());
        assertFalse(plain.tls());
        DockerHost tls = DockerHost.fromEnvironment(Map.of("DOCKER_HOST", "tcp://daemon.example:2376",
                "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", "/certs"));
        assertTrue(tls.tls() && tls.verifyTls());
        assertEquals(Path.of("/certs"), tls.certPath());
        DockerHost unverified = DockerHost.fromEnvironment(Map.of("DOCKER_HOST", "tcp://daemon.example", "DOCKER_TLS", "1"));
        assertTrue(unverified.tls() && !unverified.verifyTls());
        assertEquals(2376, unverified.port());
        HoistException e = assertThrows(HoistException.class,
                () -> DockerHost.fromEnvironment(Map.of("DOCKER_HOST", "ssh://user@host")));
        assertTrue(e.getMessage().contains("DOCKER_HOST=ssh://user@host"), e.getMessage());
    }

    @Test
    void apiVersionsCompareNumerically() {
        assertTrue(EngineClient.compare("1.9", "1.41") < 0);
        assertTrue(EngineClient.compare("1.47", "1.41") > 0);
        assertEquals(0, EngineClient.compare("1.41", "1.41"));
    }

    @Test
    void chunkedBodiesRoundTrip() throws IOException {
        byte[] data = new byte[300_000];
        new java.util.Random(3).nextBytes(data);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        HttpBody.ChunkedOutput out = new HttpBody.ChunkedOutput(wire, 1000);
        out.write(data, 0, 10);
        out.write(data, 10, 150_000);
        out.write(data[150_010]);
        out.write(data, 150_011, data.length - 150_011);
        out.finish();
        byte[] back = new HttpBody.ChunkedInput(new ByteArrayInputStream(wire.toByteArray())).readAllBytes();
        assertEquals(java.util.Arrays.hashCode(data), java.util.Arrays.hashCode(back));
        assertTrue(new String(wire.toByteArray(), StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n"));
    }
}
