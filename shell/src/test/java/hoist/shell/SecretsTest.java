package hoist.shell;

import com.sun.net.httpserver.HttpServer;
import hoist.engine.testing.Command;
import hoist.engine.testing.CosignKeys;
import hoist.engine.testing.FaultProxy;
import hoist.engine.testing.Registry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import hoist.engine.testing.TokenServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Passwords, tokens and key passphrases stay out of everything hoist prints, with {@code --debug}
 * too; auth.json is private and replaced whole; {@code Authorization} goes to the registry only;
 * TLS is verified unless the user turns it off, and then hoist says so once.
 */
class SecretsTest {

    private static final String PASSWORD = "s3cret-htpasswd-pw";
    private static final String TOKEN_PASSWORD = "t0ken-pass-word";
    private static final String WRONG_PASSWORD = "wr0ng-pass-word";
    private static final String PASSPHRASE = "sigst0re-phrase";
    private static final String WRONG_PASSPHRASE = "wr0ng-phrase";

    private static Path dir;
    private static Registry passwordRegistry;
    private static TokenServer tokens;
    private static FaultProxy tokenService;
    private static Registry tokenRegistry;
    private static FaultProxy tokenRegistryProxy;

    @TempDir
    Path temp;

    private final List<Cli.Run> printed = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("hoist-secrets-");
        passwordRegistry = Registry.startWithPassword("ci", PASSWORD);
        tokens = TokenServer.start(dir, "ci", TOKEN_PASSWORD);
        tokenService = FaultProxy.start(port(tokens.realm().replace("/token", "")));
        // the token service on another host name than the registry's
        tokenRegistry = Registry.startWithTokens(tokens, "http://localhost:" + port(tokenService.host()) + "/token");
        tokenRegistryProxy = FaultProxy.start(port(tokenRegistry.host()));
    }

    @AfterAll
    static void stop() {
        tokenRegistryProxy.close();
        tokenRegistry.close();
        tokenService.close();
        tokens.close();
        passwordRegistry.close();
        Command.run("rm", "-rf", dir.toString());
    }

    /** An empty auth file: no stored credentials, whatever the user running the tests has. */
    @BeforeEach
    void emptyAuthFile() throws IOException {
        Files.writeString(temp.resolve("none.json"), "{}");
    }

    private static int port(String hostOrUrl) {
        return Integer.parseInt(hostOrUrl.substring(hostOrUrl.lastIndexOf(':') + 1));
    }

    private static String basic(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Runs hoist and keeps what it printed for {@link #assertNoSecretPrinted}. */
    private Cli.Run hoist(String... args) {
        Cli.Run run = new Cli(temp.resolve("store")).run(args);
        printed.add(run);
        return run;
    }

    private Cli.Run hoistWithStdin(String stdin, String... args) {
        InputStream before = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return hoist(args);
        } finally {
            System.setIn(before);
        }
    }

    /** None of the secrets (nor their Basic encodings, nor any token issued) is in anything printed. */
    private void assertNoSecretPrinted() {
        List<String> secrets = new ArrayList<>(List.of(PASSWORD, TOKEN_PASSWORD, WRONG_PASSWORD, PASSPHRASE, WRONG_PASSPHRASE,
                TokenServer.REFRESH_TOKEN, basic("ci", PASSWORD), basic("ci", TOKEN_PASSWORD), basic("ci", WRONG_PASSWORD)));
        for (String token : tokens.tokens()) {
            secrets.add(token);
            secrets.add(token.substring(token.lastIndexOf('.') + 1)); // its signature alone
        }
        assertFalse(printed.isEmpty());
        for (Cli.Run run : printed) {
            for (String secret : secrets) {
                assertFalse(run.out().contains(secret) || run.err().contains(secret),
                        "a secret (" + secret.substring(0, 4) + "...) was printed: " + run);
            }
        }
    }

    private static Cli.Run failed(Cli.Run run) {
        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().contains("Error: "), run::toString);
        return run;
    }

    @Test
    void noPasswordIsPrintedByLoginCredsOrTheAuthFileEvenWithDebug() throws IOException {
        String host = passwordRegistry.host();
        String authFile = temp.resolve("auth.json").toString();
        String image = TestImages.multiLayer();
        Cli.ok(hoist("--debug", "login", "--tls-verify=false", "--authfile", authFile, "-u", "ci", "-p", PASSWORD, host));
        failed(hoist("--debug", "login", "--tls-verify=false", "--authfile", temp.resolve("other.json").toString(),
                "-u", "ci", "-p", WRONG_PASSWORD, host));
        Cli.ok(hoistWithStdin(PASSWORD + "\n", "--debug", "login", "--tls-verify=false", "--authfile", authFile, "-u", "ci",
                "--password-stdin", host));
        failed(hoistWithStdin(WRONG_PASSWORD + "\n", "--debug", "login", "--tls-verify=false", "--authfile",
                temp.resolve("other.json").toString(), "-u", "ci", "--password-stdin", host));
        Cli.ok(hoist("--debug", "copy", "--tls-verify=false", "--authfile", authFile, image, passwordRegistry.ref("secrets/app:1")));
        failed(hoist("--debug", "inspect", "--tls-verify=false", "--authfile", authFile, passwordRegistry.ref("secrets/app:absent")));
        Cli.ok(hoist("--debug", "copy", "--tls-verify=false", "--authfile", temp.resolve("none.json").toString(),
                "--creds", "ci:" + PASSWORD, passwordRegistry.ref("secrets/app:1"), "oci:" + temp.resolve("back") + ":x"));
        failed(hoist("--debug", "copy", "--tls-verify=false", "--authfile", temp.resolve("none.json").toString(),
                "--creds", "ci:" + WRONG_PASSWORD, image, passwordRegistry.ref("secrets/app:2")));
        failed(hoist("--debug", "copy", "--tls-verify=false", "--creds", "ci:" + PASSWORD, "--retry", "0", image,
                "docker://127.0.0.1:" + Registry.freePort() + "/secrets/app:1"));
        assertEquals(2, hoist("copy", "--creds", "ci:" + PASSWORD, "--no-such-flag", image, passwordRegistry.ref("x:1")).status());
        Cli.ok(hoist("--debug", "logout", "--authfile", authFile, host));
        assertNoSecretPrinted();
    }

    @Test
    void noTokenOrPasswordIsPrintedInTokenAuthenticationEvenWithDebug() throws IOException {
        String image = TestImages.multiLayer();
        String none = temp.resolve("none.json").toString();
        Cli.ok(hoist("--debug", "copy", "--tls-verify=false", "--authfile", none, "--creds", "ci:" + TOKEN_PASSWORD, image,
                tokenRegistry.ref("secrets/token:1")));
        failed(hoist("--debug", "copy", "--tls-verify=false", "--authfile", none, "--creds", "ci:" + WRONG_PASSWORD, image,
                tokenRegistry.ref("secrets/token:2")));
        failed(hoist("--debug", "inspect", "--tls-verify=false", "--authfile", none, "--creds", "ci:" + TOKEN_PASSWORD,
                tokenRegistry.ref("secrets/token:absent")));
        Path identity = Files.writeString(temp.resolve("identity.json"), "{\"auths\":{\"" + tokenRegistry.host()
                + "\":{\"identitytoken\":\"" + TokenServer.REFRESH_TOKEN + "\"}}}");
        Cli.ok(hoist("--debug", "inspect", "--tls-verify=false", "--authfile", identity.toString(),
                tokenRegistry.ref("secrets/token:1")));
        failed(hoist("--debug", "inspect", "--tls-verify=false", "--authfile", identity.toString(),
                tokenRegistry.ref("secrets/token:absent")));
        tokenService.on("GET", "/token", 1, 1, new FaultProxy.Respond(503, null));
        failed(hoist("--debug", "copy", "--tls-verify=false", "--retry", "0", "--authfile", none, "--creds",
                "ci:" + TOKEN_PASSWORD, image, tokenRegistry.ref("secrets/token:3")));
        assertTrue(tokens.tokens().size() >= 2, "tokens were issued: " + tokens.tokens().size());
        assertNoSecretPrinted();
    }

    @Test
    void aPrivateKeyPassphraseIsNeverPrinted() throws Exception {
        CosignKeys.Files3 keys = CosignKeys.create(temp.resolve("keys"), PASSPHRASE);
        Path right = Files.writeString(temp.resolve("pass"), PASSPHRASE + "\n");
        Path wrong = Files.writeString(temp.resolve("wrong"), WRONG_PASSPHRASE + "\n");
        Path registriesD = Files.createDirectories(temp.resolve("registries.d"));
        Files.writeString(registriesD.resolve("sigstore.yaml"), "docker:\n  " + passwordRegistry.host()
                + ":\n    use-sigstore-attachments: true\n");
        String image = TestImages.multiLayer();
        Cli.ok(hoist("--debug", "copy", "-q", "--tls-verify=false", "--creds", "ci:" + PASSWORD, "--registries.d",
                registriesD.toString(), "--sign-by-sigstore-private-key", keys.privateKey().toString(),
                "--sign-passphrase-file", right.toString(), image, passwordRegistry.ref("secrets/signed:1")));
        failed(hoist("--debug", "copy", "-q", "--tls-verify=false", "--creds", "ci:" + PASSWORD, "--registries.d",
                registriesD.toString(), "--sign-by-sigstore-private-key", keys.privateKey().toString(),
                "--sign-passphrase-file", wrong.toString(), image, passwordRegistry.ref("secrets/signed:2")));
        assertNoSecretPrinted();
    }

    @Test
    void theAuthFileIsWrittenPrivateAndReplacedWhole() throws IOException {
        Path authDir = Files.createDirectories(temp.resolve("auth"));
        Path authFile = Files.writeString(authDir.resolve("auth.json"), "{}");
        Files.setPosixFilePermissions(authFile, PosixFilePermissions.fromString("rw-r--r--"));
        Path link = authDir.resolve("link.json");
        Files.createLink(link, authFile);
        Object inodeBefore = Files.getAttribute(authFile, "unix:ino");

        Cli.ok(hoist("login", "--tls-verify=false", "--authfile", authFile.toString(), "-u", "ci", "-p", PASSWORD,
                passwordRegistry.host()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(authFile)));
        assertTrue(Files.readString(authFile).contains(passwordRegistry.host()));
        assertEquals("{}", Files.readString(link), "the old file was replaced by a rename, never written in place");
        assertTrue(!inodeBefore.equals(Files.getAttribute(authFile, "unix:ino")), "a new file took the name");
        try (var listing = Files.list(authDir)) {
            assertEquals(List.of("auth.json", "link.json"), listing.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file is left beside it");
        }

        Cli.ok(hoist("logout", "--authfile", authFile.toString(), passwordRegistry.host()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(authFile)));
        assertFalse(Files.readString(authFile).contains(passwordRegistry.host()));

        Path fresh = temp.resolve("new/dir/auth.json");
        Cli.ok(hoist("login", "--tls-verify=false", "--authfile", fresh.toString(), "-u", "ci", "-p", PASSWORD,
                passwordRegistry.host()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
        assertNoSecretPrinted();
    }

    @Test
    void authorizationIsNotSentToTheHostABlobIsRedirectedTo() throws IOException {
        String image = TestImages.multiLayer();
        String pushed = passwordRegistry.ref("secrets/redirected:1");
        Cli.ok(hoist("copy", "-q", "--tls-verify=false", "--creds", "ci:" + PASSWORD, image, pushed));
        Path blobs = temp.resolve("blobs");
        Command.run(List.of("skopeo", "--insecure-policy", "copy", "-q", "--src-tls-verify=false", "--src-creds",
                "ci:" + PASSWORD, pushed, "dir:" + blobs), Map.of());

        List<FaultProxy.Request> seenByStorage = new CopyOnWriteArrayList<>();
        HttpServer storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        storage.createContext("/", exchange -> {
            try (exchange) {
                List<String> headers = new ArrayList<>();
                exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> headers.add(name + ": " + v)));
                String path = exchange.getRequestURI().getPath();
                seenByStorage.add(new FaultProxy.Request(exchange.getRequestMethod(), path, headers, System.nanoTime()));
                Path blob = blobs.resolve(path.substring(path.lastIndexOf(':') + 1));
                if (!Files.isRegularFile(blob)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, Files.size(blob));
                Files.copy(blob, exchange.getResponseBody());
            }
        });
        storage.start();
        String storageHost = "localhost:" + storage.getAddress().getPort();
        try (FaultProxy proxy = FaultProxy.start(port(passwordRegistry.host()))
                .on("GET", "/blobs/sha256:", 1, 100, new FaultProxy.Redirect(target ->
                        "http://" + storageHost + "/storage/" + URLDecoder.decode(target, StandardCharsets.UTF_8)))) {
            Cli.Run pull = hoist("--debug", "copy", "-q", "--tls-verify=false", "--authfile", temp.resolve("none.json").toString(),
                    "--creds", "ci:" + PASSWORD, "docker://" + proxy.host() + "/secrets/redirected:1",
                    "oci:" + temp.resolve("back") + ":x");
            Cli.ok(pull);
            assertEquals(Skopeo.rawManifest(image), Skopeo.rawManifest("oci:" + temp.resolve("back") + ":x"));
            assertTrue(proxy.faultsInjected() >= 5, "every blob was redirected: " + proxy.faultsInjected());
            assertTrue(proxy.requests().stream().anyMatch(r -> r.header("Authorization") != null),
                    "the registry itself was sent the credentials");
            assertEquals(proxy.faultsInjected(), seenByStorage.size(), "the storage host served the blobs");
            for (FaultProxy.Request request : seenByStorage) {
                assertEquals(null, request.header("Authorization"), "no Authorization to " + storageHost + ": " + request);
            }
        } finally {
            storage.stop(0);
        }
        assertNoSecretPrinted();
    }

    @Test
    void aTokenServiceOnAnotherHostGetsOnlyWhatTheChallengeAsksAndTheRegistryOnlyTokens() {
        int tokenRequestsBefore = tokenService.requests().size();
        int registryRequestsBefore = tokenRegistryProxy.requests().size();
        Cli.ok(hoist("copy", "-q", "--tls-verify=false", "--authfile", temp.resolve("none.json").toString(),
                "--creds", "ci:" + TOKEN_PASSWORD, TestImages.multiLayer(), "docker://" + tokenRegistryProxy.host()
                        + "/secrets/realm:1"));
        List<FaultProxy.Request> toTokens = tokenService.requests().subList(tokenRequestsBefore, tokenService.requests().size());
        assertFalse(toTokens.isEmpty());
        for (FaultProxy.Request request : toTokens) {
            assertEquals("Basic " + basic("ci", TOKEN_PASSWORD), request.header("Authorization"),
                    "the token service is sent the user's credentials, nothing else: " + request);
            assertEquals("localhost:" + port(tokenService.host()), request.header("Host"));
            String query = URLDecoder.decode(request.target().substring(request.target().indexOf('?') + 1), StandardCharsets.UTF_8);
            for (String parameter : query.split("&")) {
                assertTrue(parameter.equals("service=" + TokenServer.SERVICE)
                        || parameter.equals("scope=repository:secrets/realm:pull,push")
                        || parameter.equals("scope=repository:secrets/realm:pull"),
                        "only the challenge's service and the repository's scope: " + parameter);
            }
        }
        List<FaultProxy.Request> toRegistry = tokenRegistryProxy.requests()
                .subList(registryRequestsBefore, tokenRegistryProxy.requests().size());
        assertTrue(toRegistry.size() > 5);
        for (FaultProxy.Request request : toRegistry) {
            String authorization = request.header("Authorization");
            assertTrue(authorization == null || authorization.startsWith("Bearer "),
                    "the registry is sent tokens, never the password: " + request.method() + " " + request.target());
        }
        assertNoSecretPrinted();
    }

    @Test
    void tlsIsVerifiedUnlessTurnedOffAndTurningItOffWarnsOnce() throws IOException {
        String image = TestImages.multiLayer();
        try (Registry tls = Registry.startWithTls()) {
            Cli.Run refused = failed(hoist("copy", "-q", image, tls.ref("secrets/tls:1")));
            assertEquals(1, refused.err().strip().lines().count(), refused::toString);
            assertTrue(refused.err().contains(tls.host()) && refused.err().contains("TLS"), refused::toString);
            failed(hoist("login", "-u", "ci", "-p", PASSWORD, tls.host()));

            Cli.Run unverified = Cli.ok(hoist("copy", "-q", "--tls-verify=false", image, tls.ref("secrets/tls:1"),
                    tls.ref("secrets/tls:2")));
            assertEquals(List.of("Warning: " + tls.host() + ": TLS certificates are not verified (--tls-verify=false): "
                    + "the registry's identity is not checked"), unverified.err().strip().lines().toList());
            Cli.Run login = Cli.ok(hoist("login", "--tls-verify=false", "--authfile", temp.resolve("tls-auth.json").toString(),
                    "-u", "ci", "-p", PASSWORD, tls.host()));
            assertEquals(1, login.err().strip().lines().filter(l -> l.startsWith("Warning: ")).count(), login::toString);
        }
        Cli.Run plain = Cli.ok(hoist("copy", "-q", "--tls-verify=false", "--creds", "ci:" + PASSWORD, image,
                passwordRegistry.ref("secrets/plain:1")));
        assertEquals("", plain.err(), "plain http with --tls-verify=false: nothing to warn about");
        assertNoSecretPrinted();
    }
}
