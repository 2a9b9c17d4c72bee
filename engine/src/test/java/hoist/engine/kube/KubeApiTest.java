package hoist.engine.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.HoistException;
import hoist.engine.testing.KubeApiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API client against an HTTPS stand-in of the API server, trusting only the kubeconfig's CA. */
class KubeApiTest {

    private static final String COLLECTION = "/apis/example.io/v1/things";

    @TempDir
    static Path dir;

    private static KubeApiServer server;

    @BeforeAll
    static void start() {
        server = KubeApiServer.start(dir, COLLECTION, Set.of("good-token"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static KubeConfig config(String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return KubeConfig.load(file);
    }

    private static ObjectNode thing(String name) {
        ObjectNode object = new ObjectMapper().createObjectNode();
        object.putObject("metadata").put("name", name);
        return object;
    }

    @Test
    void aClientCertificateFromTheKubeconfigAuthenticates() throws IOException {
        String yaml = server.kubeconfig("unused").replace("    token: unused",
                "    client-certificate-data: " + Base64.getEncoder().encodeToString(server.clientCertificatePem())
                        + "\n    client-key-data: " + Base64.getEncoder().encodeToString(server.clientKeyPem()));
        KubeApi api = KubeApi.open(config("cert", yaml));
        assertTrue(api.create(COLLECTION, thing("by-cert")).isPresent());
        List<KubeApiServer.Request> requests = server.requests();
        KubeApiServer.Request last = requests.get(requests.size() - 1);
        assertEquals(KubeApiServer.CLIENT_NAME, last.clientCertificate());
        assertNull(last.authorization());
        assertEquals("1", api.get(COLLECTION + "/by-cert").orElseThrow().path("metadata").path("resourceVersion").asText());
        assertTrue(api.get(COLLECTION + "/missing").isEmpty());
    }

    @Test
    void aRefusedTokenIsOneLineNamingServerAndContext() throws IOException {
        KubeApi api = KubeApi.open(config("bad-token", server.kubeconfig("bad-token")));
        String message = assertThrows(HoistException.class, () -> api.create(COLLECTION, thing("x"))).getMessage();
        assertEquals("Kubernetes API " + server.url() + " (kubeconfig context \"test\"): POST " + COLLECTION
                + ": 401 Unauthorized", message);
    }

    @Test
    void aServerTheKubeconfigsCaDidNotSignIsRefused() throws IOException {
        // the system CAs are not consulted when the kubeconfig names a CA: another CA's certificate fails
        String yaml = server.kubeconfig("good-token").replaceFirst("certificate-authority-data: \\S+",
                "certificate-authority-data: " + Base64.getEncoder().encodeToString(server.clientCertificatePem()));
        KubeApi api = KubeApi.open(config("other-ca", yaml));
        String message = assertThrows(HoistException.class, () -> api.get(COLLECTION + "/x")).getMessage();
        assertTrue(message.startsWith("Kubernetes API " + server.url()) && message.lines().count() == 1, message);
    }
}
