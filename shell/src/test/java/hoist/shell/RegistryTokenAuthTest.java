package hoist.shell;

import hoist.engine.testing.Registry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import hoist.engine.testing.TokenServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A registry with token authentication (auth.token) and a token server of the test's own signing JWTs. */
class RegistryTokenAuthTest {

    private static Path dir;
    private static TokenServer tokens;
    private static Registry registry;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("hoist-token-");
        tokens = TokenServer.start(dir, "ci", "token-pass");
        registry = Registry.startWithTokens(tokens);
    }

    @AfterAll
    static void stop() {
        registry.close();
        tokens.close();
        hoist.engine.testing.Command.run("rm", "-rf", dir.toString());
    }

    /** An empty auth file: no stored credentials, whatever the user running the tests has (a named one must exist). */
    @BeforeEach
    void emptyAuthFile() throws IOException {
        Files.writeString(temp.resolve("none.json"), "{}");
    }

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    @Test
    void aWrongPasswordIsSaidToBeRefusedNamingTheUser() {
        Cli.Run push = hoist("copy", "-q", "--tls-verify=false", "--creds", "ci:not-the-pass",
                hoist.engine.testing.TestImages.multiLayer(), registry.ref("refused/app:1"));
        org.junit.jupiter.api.Assertions.assertEquals(1, push.status(), push::toString);
        org.junit.jupiter.api.Assertions.assertTrue(push.err().startsWith("Error: ")
                && push.err().contains("refused the credentials of user \"ci\"")
                && push.err().contains(registry.host()) && !push.err().contains("not-the-pass"), push::toString);
    }

    @Test
    void bearerTokensArePerScopeAndReused() {
        int before = tokens.tokensIssued();
        Cli.Run push = hoist("copy", "-q", "--tls-verify=false", "--authfile", temp.resolve("none.json").toString(),
                "--creds", "ci:token-pass", TestImages.multiLayer(), registry.ref("tokens/app:1"));
        assertEquals(0, push.status(), push::toString);
        int used = tokens.tokensIssued() - before;
        assertTrue(used >= 1 && used <= 3, "one push scope token, reused by every blob; got " + used);

        Cli.Run pull = hoist("copy", "-q", "--tls-verify=false", "--authfile", temp.resolve("none.json").toString(),
                "--creds", "ci:token-pass", registry.ref("tokens/app:1"), "oci:" + temp.resolve("back") + ":x");
        assertEquals(0, pull.status(), pull::toString);
        assertEquals(Skopeo.rawManifest(TestImages.multiLayer()), Skopeo.rawManifest("oci:" + temp.resolve("back") + ":x"));
    }

    @Test
    void loginThroughTheTokenServerAndAWrongPassword() {
        Path auth = temp.resolve("auth.json");
        Cli.Run wrong = hoist("login", "--tls-verify=false", "--authfile", auth.toString(), "-u", "ci", "-p", "nope",
                registry.host());
        assertEquals(1, wrong.status(), wrong::toString);
        assertTrue(wrong.err().startsWith("Error: "), wrong::toString);
        assertFalse(Files.exists(auth));
        Cli.Run login = hoist("login", "--tls-verify=false", "--authfile", auth.toString(), "-u", "ci", "-p", "token-pass",
                registry.host());
        assertEquals(0, login.status(), login::toString);
        Cli.Run push = hoist("copy", "-q", "--tls-verify=false", "--authfile", auth.toString(), TestImages.multiLayer(),
                registry.ref("tokens/logged-in:1"));
        assertEquals(0, push.status(), push::toString);
    }

    @Test
    void anIdentityTokenInTheAuthFileIsExchangedForAccessTokens() throws IOException {
        Path auth = temp.resolve("identity.json");
        Files.writeString(auth, "{\"auths\":{\"" + registry.host() + "\":{\"identitytoken\":\"" + TokenServer.REFRESH_TOKEN
                + "\"}}}");
        Cli.Run push = hoist("copy", "-q", "--tls-verify=false", "--authfile", auth.toString(), TestImages.multiLayer(),
                registry.ref("tokens/identity:1"));
        assertEquals(0, push.status(), push::toString);
        Cli.Run inspect = hoist("inspect", "--tls-verify=false", "--authfile", auth.toString(), registry.ref("tokens/identity:1"));
        assertEquals(0, inspect.status(), inspect::toString);
        var tags = hoist.engine.image.Json.read(inspect.out().getBytes(java.nio.charset.StandardCharsets.UTF_8)).path("RepoTags");
        assertEquals("[\"1\"]", tags.toString(), "skopeo's RepoTags: every tag of the repository");
    }

    @Test
    void aRepositoryOfTheSameRegistryThatCannotMountIsSentTheBytes() throws IOException {
        tokens.grantFirstScopeOnly(true);
        try {
            String code = String.join("\n",
                    "def r = copy args[0], to: [args[1], args[2]], quiet: true, tlsVerify: false, creds: 'ci:token-pass',"
                            + " authfile: args[3]",
                    "r.destinations.each { println \"${it.mountedCount} ${it.uploadedCount}\" }");
            Path script = temp.resolve("fanout.groovy");
            Files.writeString(script, code);
            Cli.Run run = hoist(script.toString(), TestImages.multiLayer(), registry.ref("refused/one:1"),
                    registry.ref("refused/two:1"), temp.resolve("none.json").toString());
            assertEquals(0, run.status(), run::toString);
            List<String> lines = run.out().strip().lines().toList();
            assertEquals(lines.get(0), lines.get(1), "both repositories were sent every blob: " + run);
            assertTrue(lines.get(1).startsWith("0 "), "no mount: " + run);
        } finally {
            tokens.grantFirstScopeOnly(false);
        }
        for (String repository : List.of("refused/one:1", "refused/two:1")) {
            Cli.Run back = hoist("copy", "-q", "--tls-verify=false", "--creds", "ci:token-pass", "--authfile",
                    temp.resolve("none.json").toString(), registry.ref(repository), "oci:" + temp.resolve(repository) + ":x");
            assertEquals(0, back.status(), back::toString);
            assertEquals(Skopeo.rawManifest(TestImages.multiLayer()), Skopeo.rawManifest("oci:" + temp.resolve(repository) + ":x"));
        }
    }

    @Test
    void anonymousCallersGetNoPushScope() {
        Cli.Run push = hoist("copy", "-q", "--tls-verify=false", "--authfile", temp.resolve("none.json").toString(),
                TestImages.multiLayer(), registry.ref("tokens/anonymous:1"));
        assertEquals(1, push.status(), push::toString);
        assertTrue(push.err().contains("authentication required"), push::toString);
    }
}
