package hoist.engine.kube;

import hoist.engine.HoistException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KubeConfigTest {

    @TempDir
    Path temp;

    private Path write(String name, String text) throws IOException {
        Path file = temp.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static String config(String current, String user, String userBody) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c1
                  cluster:
                    server: https://127.0.0.1:6443/
                    certificate-authority-data: %s
                - name: c2
                  cluster:
                    server: https://other:6443
                contexts:
                - name: ctx
                  context: {cluster: c1, user: %s}
                - name: other
                  context: {cluster: c2, user: u1}
                current-context: %s
                users:
                - name: u1
                  user:
                %s
                """.formatted(Base64.getEncoder().encodeToString("CA PEM".getBytes(StandardCharsets.UTF_8)), user,
                current, userBody.indent(4).stripTrailing());
    }

    private static String failure(Path file) {
        return assertThrows(HoistException.class, () -> KubeConfig.load(file)).getMessage();
    }

    @Test
    void theCurrentContextGivesServerCaAndToken() throws IOException {
        KubeConfig config = KubeConfig.load(write("k", config("ctx", "u1", "token: abc")));
        assertEquals("ctx", config.context());
        assertEquals("https://127.0.0.1:6443/", config.cluster().server());
        assertArrayEquals("CA PEM".getBytes(StandardCharsets.UTF_8), config.cluster().certificateAuthority());
        assertEquals("abc", config.user().token());
        assertNull(config.user().clientCertificate());
        assertFalse(config.user().toString().contains("abc"));
    }

    @Test
    void filesAreReadRelativeToTheKubeconfig() throws IOException {
        write("token.txt", "from-file\n");
        write("client.crt", "CERT");
        write("client.key", "KEY");
        KubeConfig config = KubeConfig.load(write("k", config("ctx", "u1",
                "tokenFile: token.txt\nclient-certificate: client.crt\nclient-key: " + temp.resolve("client.key"))));
        assertEquals("from-file", config.user().token());
        assertArrayEquals("CERT".getBytes(StandardCharsets.UTF_8), config.user().clientCertificate());
        assertArrayEquals("KEY".getBytes(StandardCharsets.UTF_8), config.user().clientKey());
    }

    @Test
    void noCurrentContextIsAnErrorNamingTheFile() throws IOException {
        Path file = write("k", config("\"\"", "u1", "token: abc"));
        String message = failure(file);
        assertTrue(message.contains(file.toString()) && message.contains("has no current context"), message);
    }

    @Test
    void aContextNamingAMissingUserOrClusterIsAnError() throws IOException {
        assertTrue(failure(write("k", config("ctx", "ghost", "token: abc"))).contains(
                "the context \"ctx\" names user \"ghost\", which is not defined in it"));
        assertTrue(failure(write("k2", config("missing", "u1", "token: abc"))).contains(
                "the current context \"missing\" is not defined in it"));
        assertTrue(failure(write("k3", config("ctx", "u1", "token: abc").replace("name: c1", "name: c9"))).contains(
                "names cluster \"c1\", which is not defined in it"));
    }

    @Test
    void anUnreadableOrBrokenKubeconfigIsOneLine() throws IOException {
        Path directory = Files.createDirectory(temp.resolve("dir"));
        String unreadable = failure(directory);
        assertEquals("cannot read the kubeconfig " + directory + ": Is a directory", unreadable);
        String broken = failure(write("broken", "clusters: [\n  - name: x\n"));
        assertTrue(broken.contains("is not valid YAML") && broken.lines().count() == 1, broken);
        String notMapping = failure(write("list", "- a\n- b\n"));
        assertTrue(notMapping.contains("is not a kubeconfig"), notMapping);
        String badData = failure(write("bad64", config("ctx", "u1", "token: abc").replaceFirst("certificate-authority-data: \\S+",
                "certificate-authority-data: \"%%%\"")));
        assertTrue(badData.contains("certificate-authority-data is not base64"), badData);
    }

    @Test
    void locateFollowsKubeconfigThenHome() throws IOException {
        Path first = write("one", "x");
        assertEquals(Optional.of(first), KubeConfig.locate(Map.of("KUBECONFIG", temp.resolve("none") + ":" + first),
                temp));
        assertEquals(Optional.empty(), KubeConfig.locate(Map.of("KUBECONFIG", temp.resolve("none").toString()), temp));
        assertEquals(Optional.empty(), KubeConfig.locate(Map.of("HOME", temp.toString()), temp));
        Files.createDirectories(temp.resolve(".kube"));
        Path home = write(".kube/config", "x");
        assertEquals(Optional.of(home), KubeConfig.locate(Map.of("HOME", temp.toString()), Path.of("/nonexistent")));
        assertEquals(Optional.of(home), KubeConfig.locate(Map.of(), temp));
    }
}
