package hoist.shell;

import hoist.engine.testing.Command;
import hoist.engine.testing.Registry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A registry behind htpasswd: login, logout, --creds, and the auth file skopeo reads too. */
class RegistryAuthTest {

    private static Registry registry;

    @TempDir
    Path temp;

    @BeforeAll
    static void startRegistry() {
        registry = Registry.startWithPassword("ci", "s3cret-pass");
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    /** An empty auth file: no stored credentials, whatever the user running the tests has (a named one must exist). */
    @BeforeEach
    void emptyAuthFile() throws IOException {
        Files.writeString(temp.resolve("none.json"), "{}");
    }

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    private static void assertFailed(Cli.Run run, String expected) {
        assertEquals(1, run.status(), run::toString);
        String last = run.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("Error: ") && last.contains(expected), run::toString);
        assertFalse(run.toString().contains("s3cret"), "no secret in the output: " + run);
    }

    @Test
    void withoutCredentialsThePushIsRefusedClearly() {
        assertFailed(hoist("copy", "-q", "--tls-verify=false", "--authfile", temp.resolve("none.json").toString(),
                TestImages.multiLayer(), registry.ref("private/app:1")), "authentication required");
    }

    @Test
    void aWrongPasswordFailsAndStoresNothing() {
        Path authFile = temp.resolve("auth.json");
        String refused = "the registry refused the credentials of user \"ci\"";
        Cli.Run login = hoist("login", "--tls-verify=false", "--authfile", authFile.toString(), "-u", "ci", "-p",
                "wrong-pass", registry.host());
        assertFailed(login, refused);
        assertTrue(login.err().contains(registry.host()) && !login.err().contains("wrong-pass"), login::toString);
        assertFalse(Files.exists(authFile));
        Cli.Run push = hoist("copy", "-q", "--tls-verify=false", "--creds", "ci:wrong-pass", TestImages.multiLayer(),
                registry.ref("private/app:1"));
        assertFailed(push, refused);
        assertTrue(push.err().contains(registry.host()) && !push.err().contains("wrong-pass"), push::toString);
    }

    @Test
    void loginStoresCredentialsPrivatelyForHoistAndSkopeo() throws IOException {
        Path authFile = temp.resolve("auth.json");
        Cli.Run login = hoist("login", "--tls-verify=false", "--authfile", authFile.toString(), "-u", "ci", "-p",
                "s3cret-pass", registry.host());
        assertEquals(0, login.status(), login::toString);
        assertEquals("Login Succeeded!", login.out().strip());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(authFile)));

        String target = registry.ref("private/app:1");
        Cli.Run push = hoist("copy", "-q", "--tls-verify=false", "--authfile", authFile.toString(),
                TestImages.multiLayer(), target);
        assertEquals(0, push.status(), push::toString);
        String raw = Command.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "--authfile",
                authFile.toString(), target), Map.of());
        assertEquals(Skopeo.rawManifest(TestImages.multiLayer()), raw);

        Cli.Run logout = hoist("logout", "--authfile", authFile.toString(), registry.host());
        assertEquals(0, logout.status(), logout::toString);
        assertFailed(hoist("logout", "--authfile", authFile.toString(), registry.host()), "not logged into");
        assertFailed(hoist("inspect", "--tls-verify=false", "--authfile", authFile.toString(), target),
                "authentication required");
    }

    @Test
    void aScriptLogsInWithAPasswordFileAsTheContractShows() throws IOException {
        Path secret = temp.resolve("pw");
        Files.writeString(secret, "s3cret-pass\n");
        Path authFile = temp.resolve("script-auth.json");
        String code = String.join("\n",
                "login args[0], username: 'ci', passwordFile: args[1], authfile: args[2], tlsVerify: false",
                "def r = push args[3], to: args[4], authfile: args[2], tlsVerify: false, quiet: true",
                "println r.digest");
        Path script = temp.resolve("release.groovy");
        Files.writeString(script, code);
        Cli.Run run = hoist(script.toString(), registry.host(), secret.toString(), authFile.toString(),
                TestImages.multiLayer(), registry.ref("private/scripted:1"));
        assertEquals(0, run.status(), run::toString);
        assertEquals(Skopeo.manifestDigest(TestImages.multiLayer()).toString(), run.out().strip());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(authFile)));
        assertFalse(run.toString().contains("s3cret"), "no secret in the output: " + run);
    }

    @Test
    void credsOnTheCommandLineNeedNoLogin() {
        Cli.Run push = hoist("copy", "-q", "--tls-verify=false", "--authfile", temp.resolve("none.json").toString(),
                "--creds", "ci:s3cret-pass", TestImages.multiLayer(), registry.ref("private/creds:1"));
        assertEquals(0, push.status(), push::toString);
        Cli.Run pull = hoist("pull", "-q", "--tls-verify=false", "--authfile", temp.resolve("none.json").toString(),
                "--creds", "ci:s3cret-pass", registry.ref("private/creds:1"));
        assertEquals(0, pull.status(), pull::toString);
    }
}
