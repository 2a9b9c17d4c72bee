package hoist.shell;

import hoist.engine.testing.Command;
import hoist.engine.testing.FaultProxy;
import hoist.engine.testing.Registry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.StartedRegistry;
import hoist.engine.testing.TestImages;
import hoist.engine.testing.TokenServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A push or pull through a {@link FaultProxy} that resets, refuses, stalls and slows the
 * conversation with a real distribution registry: with {@code --retry} each one completes and
 * skopeo reads back the same image; without, it fails with one {@code Error:} line and a second
 * run completes, sending again only what the registry does not hold.
 */
class NetworkFaultsTest {

    private static final int LAYER_MB = 48;
    private static final long LAYER_BYTES = LAYER_MB * 1024L * 1024L;
    private static final String BLOB_GET = "/blobs/sha256:";
    private static final String UPLOAD = "/blobs/uploads/";
    private static final String MANIFEST = "/manifests/";

    @StartedRegistry
    private static Registry registry;

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    private static int port(String host) {
        return Integer.parseInt(host.substring(host.lastIndexOf(':') + 1));
    }

    private Cli.Run push(String image, String target, String... flags) {
        List<String> args = new java.util.ArrayList<>(List.of("copy", "-q", "--tls-verify=false"));
        args.addAll(List.of(flags));
        args.add(image);
        args.add(target);
        return hoist(args.toArray(String[]::new));
    }

    /**
     * skopeo copies what was pushed to a {@code dir:} (checking every blob against its digest on
     * the way): the manifest is the source's byte for byte and every blob file hashes to its name.
     */
    private void assertSkopeoReadsBack(String image, String pushed) throws IOException {
        Path dir = temp.resolve("skopeo-" + System.nanoTime());
        Command.run(List.of("skopeo", "--insecure-policy", "copy", "-q", "--src-tls-verify=false", pushed, "dir:" + dir), Map.of());
        assertEquals(Skopeo.rawManifest(image), Files.readString(dir.resolve("manifest.json")), "the manifest skopeo reads");
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("[0-9a-f]{64}")).toList()) {
                assertEquals(file.getFileName().toString(), sha256(file), "blob " + file);
            }
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new java.security.DigestInputStream(Files.newInputStream(file),
                java.security.MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return java.util.HexFormat.of().formatHex(((java.security.DigestInputStream) in).getMessageDigest().digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertOneErrorLine(Cli.Run run, String... parts) {
        assertEquals(1, run.status(), run::toString);
        List<String> lines = run.err().strip().lines().toList();
        assertEquals(1, lines.size(), run::toString);
        assertTrue(lines.get(0).startsWith("Error: "), run::toString);
        for (String part : parts) {
            assertTrue(lines.get(0).contains(part), "\"" + part + "\" in " + run);
        }
        assertTrue(!run.err().contains("\tat "), "no stack trace: " + run);
    }

    private static long count(FaultProxy proxy, String method, String target) {
        return proxy.requests().stream().filter(r -> r.method().equals(method) && r.target().contains(target)).count();
    }

    @Test
    void aResetInsideABlobUploadIsResumedAndSkopeoReadsTheImage() throws IOException {
        String image = TestImages.large(LAYER_MB);
        try (FaultProxy proxy = FaultProxy.start(port(registry.host()))
                .on("PATCH", UPLOAD, 1, 1, new FaultProxy.ResetRequestAfter(LAYER_BYTES / 2))) {
            String target = "docker://" + proxy.host() + "/faults/upload-reset:1";
            Cli.Run run = push(image, target, "--retry", "3", "--retry-delay", "100ms");
            assertEquals(0, run.status(), run::toString);
            assertEquals(1, proxy.resets());
            assertSkopeoReadsBack(image, registry.ref("faults/upload-reset:1"));
        }
    }

    @Test
    void aCutInsideALaterPatchGoesOnFromTheRegistrysOffsetOrFromZero() throws IOException {
        String image = TestImages.large(LAYER_MB);
        long segment = 8L * 1024 * 1024;
        String before = System.getProperty("hoist.uploadSegmentMiB");
        System.setProperty("hoist.uploadSegmentMiB", "8");
        try (FaultProxy proxy = FaultProxy.start(port(registry.host()))
                .on("PATCH", UPLOAD, 4, 1, new FaultProxy.ResetRequestAfter(segment / 2))) {
            String target = "docker://" + proxy.host() + "/faults/later-patch:1";
            Cli.Run run = push(image, target, "--retry", "3", "--retry-delay", "100ms");
            assertEquals(0, run.status(), run::toString);
            assertEquals(1, proxy.resets());
            List<String> ranges = proxy.requests().stream().filter(r -> r.method().equals("PATCH"))
                    .map(r -> r.header("Content-Range")).toList();
            String after = ranges.get(4);
            assertTrue(after.startsWith(3 * segment + "-") || after.startsWith("0-"),
                    "the PATCH after the cut starts at the registry's offset or at zero: " + ranges);
        } finally {
            if (before == null) {
                System.clearProperty("hoist.uploadSegmentMiB");
            } else {
                System.setProperty("hoist.uploadSegmentMiB", before);
            }
        }
        assertSkopeoReadsBack(image, registry.ref("faults/later-patch:1"));
    }

    @Test
    void a429OnAPatchWithRetryAfterIsWaitedFor() throws IOException {
        String image = TestImages.multiLayer();
        try (FaultProxy proxy = FaultProxy.start(port(registry.host()))
                .on("PATCH", UPLOAD, 1, 1, new FaultProxy.Respond(429, "2"))) {
            Cli.Run run = push(image, "docker://" + proxy.host() + "/faults/patch-429:1", "--retry", "2",
                    "--retry-delay", "100ms");
            assertEquals(0, run.status(), run::toString);
            List<FaultProxy.Request> all = proxy.requests().stream().filter(r -> r.method().equals("PATCH")).toList();
            String session = all.get(0).target().replaceAll("\\?.*", "");
            List<FaultProxy.Request> patches = all.stream().filter(r -> r.target().startsWith(session)).toList();
            assertTrue(patches.size() >= 2, "the PATCH was sent again: " + all);
            long waited = TimeUnit.NANOSECONDS.toMillis(patches.get(1).arrived() - patches.get(0).arrived());
            assertTrue(waited >= 1900 && waited < 8000, "waited " + waited + " ms for Retry-After: 2");
        }
        assertSkopeoReadsBack(image, registry.ref("faults/patch-429:1"));
    }

    @Test
    void aResetInsideABlobDownloadGoesOnWithARangeRequest() {
        String image = TestImages.large(LAYER_MB);
        assertEquals(0, push(image, registry.ref("faults/download-reset:1")).status());
        String layer = "/blobs/" + Skopeo.layers(image).get(0);
        try (FaultProxy proxy = FaultProxy.start(port(registry.host()))
                .on("GET", layer, 1, 1, new FaultProxy.ResetResponseAfter(LAYER_BYTES / 2))) {
            Cli cli = new Cli(temp.resolve("pulled"));
            Cli.Run pull = cli.run("pull", "-q", "--tls-verify=false", "--retry", "3", "--retry-delay", "100ms",
                    "docker://" + proxy.host() + "/faults/download-reset:1");
            assertEquals(0, pull.status(), pull::toString);
            assertEquals(1, proxy.resets());
            assertTrue(proxy.requests().stream().anyMatch(r -> r.target().contains(layer) && r.header("Range") != null),
                    "the blob was asked for again from where it broke");
            assertEquals(0, cli.run("check").status());
        }
    }

    @Test
    void aResetWhileTheManifestIsWrittenIsRetried() throws IOException {
        String image = TestImages.multiLayer();
        try (FaultProxy proxy = FaultProxy.start(port(registry.host()))
                .on("PUT", MANIFEST, 1, 1, new FaultProxy.ResetRequestAfter(100))) {
            Cli.Run run = push(image, "docker://" + proxy.host() + "/faults/manifest-reset:1", "--retry", "2",
                    "--retry-delay", "100ms");
            assertEquals(0, run.status(), run::toString);
            assertEquals(1, proxy.resets());
            assertEquals(2, count(proxy, "PUT", MANIFEST));
        }
        assertSkopeoReadsBack(image, registry.ref("faults/manifest-reset:1"));
    }

    @Test
    void aResetOrA503FromTheTokenServiceIsRetried() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("tokens"));
        try (TokenServer tokens = TokenServer.start(dir, "ci", "token-pass");
             FaultProxy proxy = FaultProxy.start(port(tokens.realm().replace("/token", "")))
                     .on("GET", "/token", 1, 1, new FaultProxy.ResetResponseAfter(10))
                     .on("GET", "/token", 2, 2, new FaultProxy.Respond(503, null));
             Registry tokenRegistry = Registry.startWithTokens(tokens, "http://" + proxy.host() + "/token")) {
            Files.writeString(temp.resolve("none.json"), "{}");
            String image = TestImages.multiLayer();
            Cli.Run run = push(image, tokenRegistry.ref("faults/token:1"), "--authfile", temp.resolve("none.json").toString(),
                    "--creds", "ci:token-pass", "--retry", "3", "--retry-delay", "100ms");
            assertEquals(0, run.status(), run::toString);
            assertEquals(3, proxy.faultsInjected());
            assertEquals(1, proxy.resets());
            String raw = Command.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", "ci:token-pass",
                    tokenRegistry.ref("faults/token:1")), Map.of());
            assertEquals(Skopeo.rawManifest(image), raw);
        }
    }

    @Test
    void aBurstOf500s502sAnd503sIsRiddenOut() throws IOException {
        String image = TestImages.multiLayer();
        try (FaultProxy proxy = FaultProxy.start(port(registry.host()))
                .on("HEAD", BLOB_GET, 1, 3, new FaultProxy.Respond(500, null))
                .on("POST", UPLOAD, 1, 3, new FaultProxy.Respond(502, null))
                .on("PATCH", UPLOAD, 1, 2, new FaultProxy.Respond(503, null))
                .on("PUT", UPLOAD, 1, 2, new FaultProxy.Respond(503, null))
                .on("PUT", MANIFEST, 1, 3, new FaultProxy.Respond(503, null))) {
            Cli.Run run = push(image, "docker://" + proxy.host() + "/faults/burst:1", "--retry", "3", "--retry-delay", "50ms");
            assertEquals(0, run.status(), run::toString);
            assertEquals(13, proxy.faultsInjected());
        }
        assertSkopeoReadsBack(image, registry.ref("faults/burst:1"));
    }

    @Test
    void a429WithRetryAfterIsWaitedForAsLongAsItSays() throws IOException {
        String image = TestImages.multiLayer();
        try (FaultProxy proxy = FaultProxy.start(port(registry.host()))
                .on("PUT", MANIFEST, 1, 1, new FaultProxy.Respond(429, "2"))) {
            Cli.Run run = push(image, "docker://" + proxy.host() + "/faults/retry-after:1", "--retry", "1",
                    "--retry-delay", "100ms");
            assertEquals(0, run.status(), run::toString);
            List<FaultProxy.Request> puts = proxy.requests().stream().filter(r -> r.target().contains(MANIFEST)).toList();
            assertEquals(2, puts.size());
            long waited = TimeUnit.NANOSECONDS.toMillis(puts.get(1).arrived() - puts.get(0).arrived());
            assertTrue(waited >= 1900 && waited < 6000, "waited " + waited + " ms for Retry-After: 2");
        }
        assertSkopeoReadsBack(image, registry.ref("faults/retry-after:1"));
    }

    @Test
    void a429WithoutRetryAfterWaitsTheRetryDelay() throws IOException {
        String image = TestImages.multiLayer();
        try (FaultProxy proxy = FaultProxy.start(port(registry.host()))
                .on("PUT", MANIFEST, 1, 2, new FaultProxy.Respond(429, null))) {
            Cli.Run run = push(image, "docker://" + proxy.host() + "/faults/no-retry-after:1", "--retry", "2",
                    "--retry-delay", "300ms");
            assertEquals(0, run.status(), run::toString);
            List<FaultProxy.Request> puts = proxy.requests().stream().filter(r -> r.target().contains(MANIFEST)).toList();
            assertEquals(3, puts.size());
            for (int i = 1; i < 3; i++) {
                long waited = TimeUnit.NANOSECONDS.toMillis(puts.get(i).arrived() - puts.get(i - 1).arrived());
                assertTrue(waited >= 280 && waited < 1900, "waited " + waited + " ms, the --retry-delay");
            }
        }
        assertSkopeoReadsBack(image, registry.ref("faults/no-retry-after:1"));
    }

    @Test
    void withoutRetryA503FailsWithOneErrorLineAndARerunReusesTheUploadedBlobs() throws IOException {
        String image = TestImages.multiLayer();
        try (FaultProxy proxy = FaultProxy.start(port(registry.host()))
                .on("PUT", MANIFEST, 1, 1, new FaultProxy.Respond(503, null))) {
            String target = "docker://" + proxy.host() + "/faults/rerun:1";
            assertOneErrorLine(push(image, target, "--retry", "0"), target, "injected 503");
            long uploads = count(proxy, "POST", UPLOAD);
            assertTrue(uploads >= 4, "the first run sent the blobs: " + uploads);
            Cli.Run rerun = push(image, target, "--retry", "0");
            assertEquals(0, rerun.status(), rerun::toString);
            assertEquals(uploads, count(proxy, "POST", UPLOAD), "the rerun sent no blob again");
        }
        assertSkopeoReadsBack(image, registry.ref("faults/rerun:1"));
    }

    @Test
    void withoutRetryAResetInsideAnUploadFailsWithOneErrorLineAndARerunCompletes() throws IOException {
        String image = TestImages.large(LAYER_MB);
        try (FaultProxy proxy = FaultProxy.start(port(registry.host()))
                .on("PATCH", UPLOAD, 1, 1, new FaultProxy.ResetRequestAfter(LAYER_BYTES / 3))) {
            String target = "docker://" + proxy.host() + "/faults/reset-no-retry:1";
            assertOneErrorLine(push(image, target, "--retry", "0"), target, proxy.host());
            assertEquals(1, proxy.resets());
            Cli.Run rerun = push(image, target, "--retry", "0");
            assertEquals(0, rerun.status(), rerun::toString);
        }
        assertSkopeoReadsBack(image, registry.ref("faults/reset-no-retry:1"));
    }

    @Test
    void theRegistryKilledInsideAPatchAndRestartedDoesNotFailAPushWithRetry() throws Exception {
        String image = TestImages.large(LAYER_MB);
        try (Registry own = Registry.start()) {
            String target = own.ref("faults/killed:1");
            CompletableFuture<Cli.Run> push = CompletableFuture.supplyAsync(() -> push(image, target,
                    "--retry", "5", "--retry-delay", "1s"));
            awaitUploading(own, push);
            own.crashAndRestartAfter(Duration.ofMillis(1000));
            Cli.Run run = push.get(120, TimeUnit.SECONDS);
            assertEquals(0, run.status(), run::toString);
            assertSkopeoReadsBack(image, target);
        }
    }

    @Test
    void theRegistryKilledMidPushWithoutRetryFailsWithOneErrorLineAndARerunCompletes() throws Exception {
        String image = TestImages.large(LAYER_MB);
        try (Registry own = Registry.start()) {
            String target = own.ref("faults/killed-no-retry:1");
            CompletableFuture<Cli.Run> push = CompletableFuture.supplyAsync(() -> push(image, target, "--retry", "0"));
            awaitUploading(own, push);
            own.crashAndRestartAfter(Duration.ofMillis(200));
            assertOneErrorLine(push.get(120, TimeUnit.SECONDS), target, own.host());
            Cli.Run rerun = push(image, target, "--retry", "5", "--retry-delay", "500ms");
            assertEquals(0, rerun.status(), rerun::toString);
            assertSkopeoReadsBack(image, target);
        }
    }

    /** Waits until the registry holds part of an upload: a PATCH body is on its way. */
    private static void awaitUploading(Registry registry, CompletableFuture<Cli.Run> push) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (registry.uploadingBytes() < 4L * 1024 * 1024 && !push.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(!push.isDone(), "the push was still running when the registry was killed");
    }

    @Test
    void aTlsHandshakeDroppedHalfwayIsRetried() throws IOException {
        try (Registry tls = Registry.startWithTls();
             FaultProxy proxy = FaultProxy.startTls(port(tls.host()), 2)) {
            Path certs = Files.createDirectories(temp.resolve("certs"));
            Files.copy(tls.caCertificate(), certs.resolve("ca.crt"));
            String image = TestImages.multiLayer();
            String target = "docker://" + proxy.host() + "/faults/tls:1";
            Cli.Run once = hoist("copy", "-q", "--cert-dir", certs.toString(), "--retry", "0", image, target);
            assertOneErrorLine(once, target, proxy.host());
            Cli.Run run = hoist("copy", "-q", "--cert-dir", certs.toString(), "--retry", "2", "--retry-delay", "100ms",
                    image, target);
            assertEquals(0, run.status(), run::toString);
            assertEquals(2, proxy.handshakesDropped());
            String raw = Command.run(List.of("skopeo", "inspect", "--raw", "--cert-dir", certs.toString(),
                    tls.ref("faults/tls:1")), Map.of());
            assertEquals(Skopeo.rawManifest(image), raw);
        }
    }

    @Test
    void aStalledAndThrottledRegistryIsWaitedFor() throws IOException {
        String image = TestImages.multiLayer();
        long rate = 2L * 1024 * 1024;
        try (FaultProxy proxy = FaultProxy.start(port(registry.host()))
                .on("HEAD", BLOB_GET, 1, 1, new FaultProxy.Stall(Duration.ofSeconds(2)))
                .throttle(rate)) {
            long start = System.nanoTime();
            Cli.Run run = push(image, "docker://" + proxy.host() + "/faults/slow:1", "--retry", "0");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(0, run.status(), run::toString);
            assertEquals(1, proxy.faultsInjected());
            assertTrue(took >= 2000, "the stall was waited for: " + took + " ms");
        }
        assertSkopeoReadsBack(image, registry.ref("faults/slow:1"));
    }
}
