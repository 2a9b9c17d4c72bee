package hoist.shell;

import hoist.engine.testing.CuttingProxy;
import hoist.engine.testing.Registry;
import hoist.engine.testing.StartedRegistry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A connection broken in the middle of a large blob: the copy resumes instead of starting again. */
class RegistryResilienceTest {

    private static final int LAYER_MB = 48;
    private static final long LAYER_BYTES = LAYER_MB * 1024L * 1024L;

    @StartedRegistry
    private static Registry registry;

    @TempDir
    Path temp;

    private static int port(String host) {
        return Integer.parseInt(host.substring(host.lastIndexOf(':') + 1));
    }

    @Test
    void anUploadCutHalfwayResumesAndTheImageIsIntact() {
        String image = TestImages.large(LAYER_MB);
        try (CuttingProxy proxy = CuttingProxy.start(port(registry.host()), CuttingProxy.Direction.UPLOAD, LAYER_BYTES * 6 / 10)) {
            String target = "docker://" + proxy.host() + "/resume/upload:1";
            Cli.Run push = new Cli(temp.resolve("store")).run("copy", "-q", "--tls-verify=false", "--retry", "3",
                    "--retry-delay", "200ms", image, target);
            assertEquals(0, push.status(), push::toString);
            assertTrue(proxy.didCut(), "the connection was cut");
            assertTrue(proxy.uploadedBytes() < LAYER_BYTES * 13 / 10,
                    "resumed, not restarted: " + proxy.uploadedBytes() + " bytes sent for a " + LAYER_BYTES + "-byte layer");
        }
        String pushed = registry.ref("resume/upload:1");
        Cli.Run back = new Cli(temp.resolve("store2")).run("copy", "-q", "--tls-verify=false", pushed,
                "oci:" + temp.resolve("back") + ":x");
        assertEquals(0, back.status(), back::toString);
        assertEquals(Skopeo.rawManifest(image), Skopeo.rawManifest("oci:" + temp.resolve("back") + ":x"));
    }

    @Test
    void aDownloadCutHalfwayResumesWithARangeRequest() {
        String image = TestImages.large(LAYER_MB);
        Cli.Run push = new Cli(temp.resolve("store")).run("copy", "-q", "--tls-verify=false", image,
                registry.ref("resume/download:1"));
        assertEquals(0, push.status(), push::toString);
        try (CuttingProxy proxy = CuttingProxy.start(port(registry.host()), CuttingProxy.Direction.DOWNLOAD,
                LAYER_BYTES * 6 / 10)) {
            Cli cli = new Cli(temp.resolve("pulled"));
            Cli.Run pull = cli.run("pull", "-q", "--tls-verify=false", "--retry", "3", "--retry-delay", "200ms",
                    "docker://" + proxy.host() + "/resume/download:1");
            assertEquals(0, pull.status(), pull::toString);
            assertTrue(proxy.didCut());
            assertTrue(proxy.downloadedBytes() < LAYER_BYTES * 13 / 10, "resumed: " + proxy.downloadedBytes());
            assertEquals(0, cli.run("check").status());
        }
    }
}
