package hoist.engine.compress;

import com.code_intelligence.jazzer.junit.FuzzTest;
import hoist.engine.testing.ParserContract;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Fuzzes the {@code containers.conf} reader (the {@code [engine]} table's
 * {@code compression_format}, {@code compression_level} and {@code add_compression} that set a
 * push's compression): a damaged file reads or fails with a HoistException naming it.
 *
 * <p>Seeds and kept findings: {@code ContainersConfFuzzTestInputs/parseContainersConf/} in the test
 * resources (Debian's file among them).
 *
 * @see <a href="https://github.com/containers/common/blob/main/docs/containers.conf.5.md">containers.conf(5)</a>
 */
@Timeout(30)
class ContainersConfFuzzTest {

    private static final Path SCRATCH = ParserContract.scratchDirectory("hoist-fuzz-containers-conf-");
    private static final Path FILE = SCRATCH.resolve("containers.conf");

    @FuzzTest(maxDuration = "4s")
    void parseContainersConf(byte[] input) throws Exception {
        Files.write(FILE, input);
        ParserContract.check(() -> CompressionDefaults.load(Map.of("CONTAINERS_CONF", FILE.toString()), SCRATCH));
    }
}
