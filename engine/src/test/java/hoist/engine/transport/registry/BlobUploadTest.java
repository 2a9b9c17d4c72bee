package hoist.engine.transport.registry;

import hoist.engine.compress.Compression;
import hoist.engine.copy.CopyOptions;
import hoist.engine.copy.CopyResult;
import hoist.engine.copy.Copier;
import hoist.engine.copy.ProgressListener;
import hoist.engine.testing.CuttingProxy;
import hoist.engine.testing.Registry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import hoist.engine.transport.RegistryOptions;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streamed uploads in segments, cut by a proxy: at a segment's start (the registry keeps the
 * session; the upload goes on from its offset, reading the blob again when the bytes are no longer
 * at hand) and inside a segment (the distribution registry drops the session; the blob is sent
 * again from its start).
 */
class BlobUploadTest {

    private static final int LAYER_MB = 12;
    private static final long LAYER_BYTES = LAYER_MB * 1024L * 1024L;

    private static Registry registry;

    @TempDir
    Path temp;

    @BeforeAll
    static void startRegistry() {
        registry = Registry.start();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @BeforeEach
    void smallSegments() {
        System.setProperty("hoist.uploadSegmentMiB", "2");
    }

    @AfterEach
    void defaultSegments() {
        System.clearProperty("hoist.uploadSegmentMiB");
    }

    /** Copies and checks that it succeeded. */
    private void copy(String source, String destination, CopyOptions options) throws Exception {
        TransportContext context = TransportContext.defaults().withStoreRoot(temp.resolve("store"))
                .withRegistry(RegistryOptions.defaults().withTlsVerify(false).withRetries(3, Duration.ofMillis(100)));
        CopyResult result = new Copier(context, ProgressListener.NONE).copy(Transports.parse(source),
                List.of(Transports.parse(destination)), options);
        assertTrue(result.succeeded(), result::toString);
    }

    /** The layer digests of an image in the test registry, read back into a layout that skopeo inspects. */
    private List<String> layersInRegistry(String repository) throws Exception {
        String layout = "oci:" + temp.resolve(repository.replace('/', '-').replace(':', '-')) + ":x";
        copy(registry.ref(repository), layout, CopyOptions.defaults());
        return Skopeo.layers(layout);
    }

    private static int port(String host) {
        return Integer.parseInt(host.substring(host.lastIndexOf(':') + 1));
    }

    @Test
    void aRecompressedUploadCutBetweenSegmentsGoesOnFromTheRegistrysOffset() throws Exception {
        String image = TestImages.large(LAYER_MB);
        CopyOptions gzipAgain = CopyOptions.defaults().withCompression(Compression.GZIP, null, true);
        try (CuttingProxy proxy = CuttingProxy.start(port(registry.host()), CuttingProxy.Direction.UPLOAD, LAYER_BYTES / 2)) {
            copy(image, "docker://" + proxy.host() + "/segments/recompressed:1", gzipAgain);
            assertTrue(proxy.didCut(), "the connection was cut");
            assertTrue(proxy.uploadedBytes() < LAYER_BYTES * 13 / 10,
                    "resumed, not restarted: " + proxy.uploadedBytes() + " bytes sent for a " + LAYER_BYTES + "-byte layer");
        }
        // the same layer sent without a cut has the same digest: the resumed one was put together right
        copy(image, registry.ref("segments/whole:1"), gzipAgain);
        assertEquals(layersInRegistry("segments/whole:1"), layersInRegistry("segments/recompressed:1"));
    }

    @Test
    void anUploadCutInsideASegmentIsSentAgainFromItsStart() throws Exception {
        String image = TestImages.large(LAYER_MB);
        try (CuttingProxy proxy = CuttingProxy.startInsideRequest(port(registry.host()), LAYER_BYTES / 2)) {
            copy(image, "docker://" + proxy.host() + "/segments/restarted:1", CopyOptions.defaults());
            assertTrue(proxy.didCut(), "the connection was cut");
            assertTrue(proxy.uploadedBytes() > LAYER_BYTES * 13 / 10, "sent again: " + proxy.uploadedBytes());
        }
        assertEquals(Skopeo.layers(image), layersInRegistry("segments/restarted:1"));
    }
}
