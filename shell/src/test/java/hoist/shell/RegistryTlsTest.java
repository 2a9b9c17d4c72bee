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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A registry with a certificate from a CA of the test's own: trusted through --cert-dir or certs.d, refused otherwise. */
class RegistryTlsTest {

    private static Registry registry;

    @TempDir
    Path temp;

    @BeforeAll
    static void startRegistry() {
        registry = Registry.startWithTls();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    private Path certDir() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("certs"));
        Files.copy(registry.caCertificate(), dir.resolve("ca.crt"));
        return dir;
    }

    @Test
    void anUnknownCaIsRefusedWithAClearError() {
        Cli.Run run = hoist("copy", "-q", TestImages.multiLayer(), registry.ref("tls/refused:1"));
        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().startsWith("Error: ") && run.err().contains(registry.host()), run::toString);
    }

    @Test
    void theCaInCertDirIsTrusted() throws IOException {
        Path certs = certDir();
        Cli.Run push = hoist("copy", "-q", "--cert-dir", certs.toString(), TestImages.multiLayer(), registry.ref("tls/ok:1"));
        assertEquals(0, push.status(), push::toString);
        String raw = Command.run(List.of("skopeo", "inspect", "--raw", "--cert-dir", certs.toString(),
                registry.ref("tls/ok:1")), Map.of());
        assertEquals(Skopeo.rawManifest(TestImages.multiLayer()), raw);
    }

    @Test
    void theCaInTheUsersCertsDIsTrusted() throws IOException {
        Path certsD = Path.of(System.getProperty("user.home"), ".config", "containers", "certs.d", registry.host());
        Files.createDirectories(certsD);
        try {
            Files.copy(registry.caCertificate(), certsD.resolve("ca.crt"));
            Cli.Run push = hoist("copy", "-q", TestImages.multiLayer(), registry.ref("tls/certsd:1"));
            assertEquals(0, push.status(), push::toString);
        } finally {
            Files.deleteIfExists(certsD.resolve("ca.crt"));
            Files.deleteIfExists(certsD);
        }
    }
}
