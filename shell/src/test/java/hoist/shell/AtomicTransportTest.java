package hoist.shell;

import hoist.engine.testing.Command;
import hoist.engine.testing.Registry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code atomic:HOST/NAMESPACE/STREAM:TAG} against a registry behind htpasswd whose password is the
 * token of the kubeconfig's current user, as OpenShift's registry takes a user's token.
 */
class AtomicTransportTest {

    private static final String TOKEN = "sha256~hoist-test-openshift-token";

    private static Registry registry;

    @TempDir
    Path temp;

    @BeforeAll
    static void startRegistry() {
        registry = Registry.startWithPassword("user", TOKEN);
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private static String kubeconfig(String currentContext, String contextUser, String token) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: openshift
                  cluster:
                    server: https://api.openshift.example:6443
                contexts:
                - name: team/openshift/developer
                  context:
                    cluster: openshift
                    namespace: team
                    user: %s
                current-context: "%s"
                users:
                - name: developer/openshift
                  user:
                    token: %s
                """.formatted(contextUser, currentContext, token);
    }

    private HoistProcess hoist(Path kubeconfig) throws IOException {
        Path auth = temp.resolve("empty-auth.json");
        Files.writeString(auth, "{}");
        return new HoistProcess(temp.resolve("store"), Map.of("KUBECONFIG", kubeconfig.toString(),
                "HOME", temp.toString(), "REGISTRY_AUTH_FILE", auth.toString()));
    }

    private Path writeKubeconfig(String text) throws IOException {
        Path file = temp.resolve("kubeconfig");
        Files.writeString(file, text);
        return file;
    }

    private static void assertOneErrorLine(Cli.Run run, int status, String expected) {
        assertEquals(status, run.status(), run::toString);
        List<String> lines = run.err().strip().lines().toList();
        assertEquals(1, lines.size(), run::toString);
        assertTrue(lines.get(0).startsWith("Error: ") && lines.get(0).contains(expected), run::toString);
        assertFalse(run.err().contains(TOKEN), "no token in the output: " + run);
    }

    @Test
    void anAtomicPushCarriesTheKubeconfigUsersTokenAndSkopeoReadsItBack() throws IOException {
        HoistProcess hoist = hoist(writeKubeconfig(kubeconfig("team/openshift/developer", "developer/openshift", TOKEN)));
        String stream = registry.host() + "/team/app:1";
        Cli.Run push = hoist.run("push", "-q", "--tls-verify=false", TestImages.multiLayer(), "atomic:" + stream);
        assertEquals(0, push.status(), push::toString);

        String raw = Command.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", "user:" + TOKEN,
                "docker://" + stream), Map.of());
        assertEquals(Skopeo.rawManifest(TestImages.multiLayer()), raw);

        // and read back through the same transport
        Path layout = temp.resolve("back");
        Cli.Run pull = hoist.run("copy", "-q", "--tls-verify=false", "atomic:" + stream, "oci:" + layout + ":back");
        assertEquals(0, pull.status(), pull::toString);
        assertEquals(Skopeo.rawManifest(TestImages.multiLayer()), Skopeo.rawManifest("oci:" + layout + ":back"));
    }

    @Test
    void aTokenTheRegistryRefusesFailsNamingTheUser() throws IOException {
        HoistProcess hoist = hoist(writeKubeconfig(kubeconfig("team/openshift/developer", "developer/openshift", "sha256~expired")));
        Cli.Run push = hoist.run("push", "-q", "--tls-verify=false", TestImages.multiLayer(),
                "atomic:" + registry.host() + "/team/refused:1");
        assertOneErrorLine(push, 1, "the registry refused the credentials of user \"user\"");
        assertFalse(push.err().contains("sha256~expired"), push::toString);
    }

    @Test
    void aKubeconfigWithoutCurrentContextIsOneError() throws IOException {
        HoistProcess hoist = hoist(writeKubeconfig(kubeconfig("", "developer/openshift", TOKEN)));
        assertOneErrorLine(hoist.run("push", "-q", "--tls-verify=false", TestImages.multiLayer(),
                "atomic:" + registry.host() + "/team/app:2"), 1, "has no current context");
    }

    @Test
    void aReferenceWithoutNamespaceAndStreamIsAUsageError() {
        Cli hoist = new Cli(temp.resolve("store"));
        assertOneErrorLine(hoist.run("push", "-q", TestImages.multiLayer(), "atomic:" + registry.host() + "/app:1"), 2,
                "expected atomic:HOST/NAMESPACE/STREAM:TAG");
        assertOneErrorLine(hoist.run("push", "-q", TestImages.multiLayer(), "atomic:" + registry.host() + "/team/app"), 2,
                "expected atomic:HOST/NAMESPACE/STREAM:TAG");
    }
}
