package hoist.engine.sealos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.MediaTypes;
import hoist.engine.kube.KubeApi;
import hoist.engine.kube.KubeConfig;
import hoist.engine.testing.KubeApiServer;
import hoist.engine.transport.DockerReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageHubTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Digest ID = Digest.sha256("config");

    @TempDir
    static Path dir;

    private static KubeApiServer server;

    @BeforeAll
    static void start() {
        server = KubeApiServer.start(dir, ImageHubImage.collectionPath(), Set.of("t"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ObjectNode resource(String yaml, String name) {
        return ImageHubImage.resource("oci:/x:y", yaml == null ? null : yaml.getBytes(StandardCharsets.UTF_8), null, ID,
                "amd64", 42, null, DockerReference.parse(name));
    }

    @Test
    void namesFollowSealos() {
        DockerReference name = DockerReference.parse("hub.sealos.cn/labring/mysql:v8.0.25");
        assertEquals("labring/mysql:v8.0.25", ImageHubImage.hubName(name));
        assertEquals("labring.mysql.v8.0.25", ImageHubImage.objectName(name));
        assertEquals("/apis/imagehub.sealos.io/v1/images/labring.mysql.v8.0.25",
                ImageHubImage.objectPath(ImageHubImage.objectName(name)));
    }

    @Test
    void anImageWithoutMetadataStillGetsItsDetails() {
        ObjectNode r = resource(null, "localhost:5000/org/app");
        assertEquals("imagehub.sealos.io/v1", r.path("apiVersion").asText());
        assertEquals("org.app.latest", r.path("metadata").path("name").asText());
        assertEquals("org/app:latest", r.path("spec").path("name").asText());
        assertEquals(ID.hex(), r.path("spec").path("detail").path("ID").asText());
        assertEquals(42, r.path("spec").path("detail").path("size").asLong());
        assertTrue(r.path("spec").path("detail").path("creatTime").isNull());
        assertFalse(r.path("spec").path("detail").has("docs"));
    }

    @Test
    void aConfigYamlThatIsNotAnObjectIsAnError() {
        String message = assertThrows(HoistException.class, () -> resource("- a\n- b\n", "h.io/o/a:1")).getMessage();
        assertEquals("oci:/x:y: /metadata/config.yaml is not an Image object (a YAML mapping)", message);
        assertTrue(assertThrows(HoistException.class, () -> resource("a: [\n", "h.io/o/a:1")).getMessage()
                .startsWith("oci:/x:y: /metadata/config.yaml is not valid YAML"));
    }

    @Test
    void applyCreatesThenReplacesAtTheStoredVersion() throws IOException {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, server.kubeconfig("t"));
        KubeApi api = KubeApi.open(KubeConfig.load(file));
        ImageHub.Written first = ImageHub.apply(api, resource("spec: {detail: {description: one}}", "h.io/o/a:1"));
        assertTrue(first.created());
        ImageHub.Written second = ImageHub.apply(api, resource("spec: {detail: {description: two}}", "h.io/o/a:1"));
        assertFalse(second.created());
        JsonNode stored = server.object("o.a.1");
        assertEquals("two", stored.path("spec").path("detail").path("description").asText());
        assertEquals("2", stored.path("metadata").path("resourceVersion").asText());
    }

    @Test
    void theReferrerManifestCarriesTheDocumentAboutTheImage() throws IOException {
        byte[] document = ImageHubImage.documentBytes(resource(null, "h.io/o/a:1"));
        Descriptor subject = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256("manifest"), 123);
        JsonNode manifest = JSON.readTree(ImageHubImage.referrerManifest(document, subject).raw());
        assertEquals(MediaTypes.OCI_MANIFEST, manifest.path("mediaType").asText());
        assertEquals(ImageHubImage.ARTIFACT_TYPE, manifest.path("artifactType").asText());
        assertEquals(MediaTypes.OCI_EMPTY, manifest.path("config").path("mediaType").asText());
        assertEquals("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
                manifest.path("config").path("digest").asText());
        assertEquals(Digest.sha256(document).toString(), manifest.path("layers").path(0).path("digest").asText());
        assertEquals(document.length, manifest.path("layers").path(0).path("size").asLong());
        assertEquals(subject.digest().toString(), manifest.path("subject").path("digest").asText());
        assertEquals(123, manifest.path("subject").path("size").asLong());
    }
}
