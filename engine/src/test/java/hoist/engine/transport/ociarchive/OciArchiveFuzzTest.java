package hoist.engine.transport.ociarchive;

import com.code_intelligence.jazzer.junit.FuzzTest;
import hoist.engine.image.Descriptor;
import hoist.engine.image.ImageConfig;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.Manifest;
import hoist.engine.image.ManifestList;
import hoist.engine.testing.ParserContract;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the {@code oci-archive:} reader: the tar index, {@code index.json}, and the manifests,
 * configs and layers it leads to. A damaged or hostile archive either reads or fails with a
 * HoistException (or the IOException the source declares) that says what is wrong.
 *
 * <p>Seeds and kept findings: {@code OciArchiveFuzzTestInputs/readArchive/} in the test resources
 * (archives written by skopeo: an image and an index).
 */
@Timeout(30)
class OciArchiveFuzzTest {

    private static final Path SCRATCH = ParserContract.scratchDirectory("hoist-fuzz-oci-archive-");
    private static final Path ARCHIVE = SCRATCH.resolve("image.tar");
    private static final TransportContext CONTEXT = TransportContext.defaults()
            .withStoreRoot(SCRATCH.resolve("store")).withTempDir(SCRATCH.resolve("tmp"));

    @FuzzTest(maxDuration = "4s")
    void readArchive(byte[] input) throws Exception {
        Files.write(ARCHIVE, input);
        ParserContract.check(() -> {
            try (ImageSource source = Transports.parse("oci-archive:" + ARCHIVE).openSource(CONTEXT)) {
                Manifest top = source.manifest(null).parse();
                if (top instanceof ManifestList list) {
                    for (Descriptor entry : list.manifests()) {
                        readInstance(source, source.instanceImage(entry.digest()));
                    }
                } else {
                    readInstance(source, (ImageManifest) top);
                }
            }
        }, IOException.class);
    }

    private static void readInstance(ImageSource source, ImageManifest manifest) throws IOException {
        try (InputStream config = source.blob(manifest.config())) {
            ImageConfig.parse(config.readNBytes(1 << 20)).diffIds();
        }
        for (Descriptor layer : manifest.layers()) {
            try (InputStream in = source.blob(layer)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
    }
}
