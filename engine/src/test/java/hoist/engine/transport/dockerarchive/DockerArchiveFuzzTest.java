package hoist.engine.transport.dockerarchive;

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

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the readers of {@code docker save} archives: the {@code docker-archive:} source (the tar
 * index, {@code manifest.json}, the configs and layers it points to) and the streamed reader the
 * {@code docker-daemon:} source uses on the same format. Reading a damaged or hostile archive
 * either works or fails with a HoistException (or the IOException the readers declare) that says
 * what is wrong.
 *
 * <p>Seeds and kept findings: {@code DockerArchiveFuzzTestInputs/readArchive/} in the test
 * resources (an archive written by skopeo).
 */
@Timeout(30)
class DockerArchiveFuzzTest {

    private static final Path SCRATCH = ParserContract.scratchDirectory("hoist-fuzz-docker-archive-");
    private static final Path ARCHIVE = SCRATCH.resolve("image.tar");
    private static final TransportContext CONTEXT = TransportContext.defaults()
            .withStoreRoot(SCRATCH.resolve("store")).withTempDir(SCRATCH.resolve("tmp"));

    @FuzzTest(maxDuration = "4s")
    void readArchive(byte[] input) throws Exception {
        Files.write(ARCHIVE, input);
        ParserContract.check(() -> {
            try (ImageSource source = Transports.parse("docker-archive:" + ARCHIVE).openSource(CONTEXT)) {
                readImage(source);
            }
        }, IOException.class);
        ParserContract.check(() -> {
            try (StreamedArchive archive = StreamedArchive.read(() -> new ByteArrayInputStream(input), "fuzzed archive",
                    null, 512)) {
                ImageManifest manifest = archive.manifest();
                ImageConfig.parse(archive.config()).diffIds();
                archive.repoTags();
                for (int i : archive.layerReadOrder()) {
                    drain(archive.blob(manifest.layers().get(i).digest()));
                }
            }
        }, IOException.class);
    }

    static void readImage(ImageSource source) throws IOException {
        Manifest top = source.manifest(null).parse();
        if (top instanceof ManifestList list) {
            for (Descriptor entry : list.manifests()) {
                readInstance(source, source.instanceImage(entry.digest()));
            }
        } else {
            readInstance(source, (ImageManifest) top);
        }
    }

    private static void readInstance(ImageSource source, ImageManifest manifest) throws IOException {
        try (InputStream config = source.blob(manifest.config())) {
            ImageConfig.parse(config.readNBytes(1 << 20)).diffIds();
        }
        for (Descriptor layer : manifest.layers()) {
            drain(source.blob(layer));
        }
    }

    private static void drain(InputStream in) throws IOException {
        try (in) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
