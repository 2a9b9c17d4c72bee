package hoist.engine.archive.tarsplit;

import com.code_intelligence.jazzer.junit.FuzzTest;
import hoist.engine.testing.ParserContract;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the tar-split reader containers-storage's layers are rebuilt from: {@link TarSplitReader}
 * line by line, then {@link TarAssembler} rebuilding the tar from those lines and the files of an
 * extracted layer. Damaged lines, names that climb out of the layer, sizes and checksums that do
 * not match the files: each reads or fails with a {@link TarSplitException} or HoistException that
 * names the fault.
 *
 * <p>Seeds and kept findings: {@code TarSplitFuzzTestInputs/readTarSplit/} in the test resources
 * (the uncompressed tar-split of layers containers/storage stored).
 */
@Timeout(30)
class TarSplitFuzzTest {

    private static final Path LAYER = extractedLayer();

    @FuzzTest(maxDuration = "4s")
    void readTarSplit(byte[] input) throws Exception {
        ParserContract.check(() -> {
            try (TarSplitReader reader = new TarSplitReader(new ByteArrayInputStream(input), "fuzzed tar-split")) {
                TarSplitEntry entry;
                while ((entry = reader.next()) != null) {
                    entry.nameText();
                }
            }
        }, TarSplitException.class);
        ParserContract.check(() -> {
            try (TarAssembler tar = new TarAssembler(new TarSplitReader(new ByteArrayInputStream(input), "fuzzed tar-split"),
                    LAYER, "fuzzed layer")) {
                tar.transferTo(OutputStream.nullOutputStream());
            }
        }, TarSplitException.class);
    }

    /** The files of the seed layers, as containers-storage extracts them. */
    private static Path extractedLayer() {
        Path root = ParserContract.scratchDirectory("hoist-fuzz-tar-split-");
        try {
            Files.createDirectories(root.resolve("tree/sub"));
            Files.writeString(root.resolve("tree/sub/data.txt"), "hello from a seed layer\n", StandardCharsets.UTF_8);
            Files.createLink(root.resolve("tree/hard"), root.resolve("tree/sub/data.txt"));
            Files.createSymbolicLink(root.resolve("tree/link"), Path.of("sub/data.txt"));
            Files.writeString(root.resolve("second.txt"), "hello from a seed layer\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }
}
