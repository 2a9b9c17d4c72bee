package hoist.shell;

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
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --authfile} names a file that must exist, as podman and skopeo require: every command
 * but login (which creates it) reports a missing one before doing anything.
 */
class AuthFileTest {

    private static Registry registry;

    @TempDir
    Path temp;

    @BeforeAll
    static void startRegistry() {
        registry = Registry.startWithPassword("ci", "auth-file-pass");
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    private static void assertMissing(Cli.Run run, Path file) {
        assertEquals(1, run.status(), run::toString);
        String error = run.err().strip();
        assertTrue(error.startsWith("Error: ") && error.lines().count() == 1
                && error.endsWith("--authfile " + file + ": no such file (hoist login --authfile " + file + " creates it)"),
                run::toString);
    }

    @Test
    void everyCommandButLoginReportsAMissingAuthFile() {
        Path missing = temp.resolve("nonexistent.json");
        String remote = registry.ref("private/app:1");
        Path layout = temp.resolve("never");
        assertMissing(hoist("copy", "--tls-verify=false", "--authfile", missing.toString(), TestImages.multiLayer(), remote), missing);
        assertMissing(hoist("copy", "--authfile", missing.toString(), TestImages.multiLayer(), "oci:" + layout + ":x"), missing);
        assertMissing(hoist("pull", "--tls-verify=false", "--authfile", missing.toString(), remote), missing);
        assertMissing(hoist("push", "--authfile", missing.toString(), "localhost/any:1", remote), missing);
        assertMissing(hoist("inspect", "--tls-verify=false", "--authfile", missing.toString(), remote), missing);
        assertMissing(hoist("logout", "--authfile", missing.toString(), registry.host()), missing);
        assertMissing(hoist("logout", "--all", "--authfile", missing.toString()), missing);
        assertMissing(hoist("-e", "inspect '" + remote + "', tlsVerify: false, authfile: '" + missing + "'"), missing);
        assertFalse(Files.exists(missing), "nothing created it");
        assertFalse(Files.exists(layout), "nothing was copied");
    }

    @Test
    void loginCreatesTheNamedAuthFileWhichTheOthersThenUse() throws IOException {
        Path created = temp.resolve("new-dir").resolve("auth.json");
        Cli.Run login = hoist("login", "--tls-verify=false", "--authfile", created.toString(), "-u", "ci", "-p",
                "auth-file-pass", registry.host());
        assertEquals(0, login.status(), login::toString);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(created)));
        String remote = registry.ref("private/created:1");
        Cli.Run copy = hoist("copy", "-q", "--tls-verify=false", "--authfile", created.toString(), TestImages.multiLayer(), remote);
        assertEquals(0, copy.status(), copy::toString);
        Path back = temp.resolve("back");
        Cli.Run pull = hoist("copy", "-q", "--tls-verify=false", "--authfile", created.toString(), remote, "oci:" + back + ":x");
        assertEquals(0, pull.status(), pull::toString);
        assertEquals(Skopeo.rawManifest(TestImages.multiLayer()), Skopeo.rawManifest("oci:" + back + ":x"));
        assertTrue(hoist("logout", "--authfile", created.toString(), registry.host()).out().contains("Removed"));
    }
}
