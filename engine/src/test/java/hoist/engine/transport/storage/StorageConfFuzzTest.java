package hoist.engine.transport.storage;

import com.code_intelligence.jazzer.junit.FuzzTest;
import hoist.engine.testing.ParserContract;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Fuzzes the {@code storage.conf} reader behind {@code containers-storage:} (driver, graph root,
 * run root, driver options): a damaged file reads or fails with a HoistException naming it.
 *
 * <p>Seeds and kept findings: {@code StorageConfFuzzTestInputs/parseStorageConf/} in the test
 * resources.
 *
 * @see <a href="https://github.com/containers/storage/blob/main/docs/containers-storage.conf.5.md">containers-storage.conf(5)</a>
 */
@Timeout(30)
class StorageConfFuzzTest {

    private static final Path SCRATCH = ParserContract.scratchDirectory("hoist-fuzz-storage-conf-");
    private static final Path FILE = SCRATCH.resolve("storage.conf");

    @FuzzTest(maxDuration = "4s")
    void parseStorageConf(byte[] input) throws Exception {
        Files.write(FILE, input);
        ParserContract.check(() -> StoreOptions.defaults(Map.of("CONTAINERS_STORAGE_CONF", FILE.toString(),
                "XDG_RUNTIME_DIR", SCRATCH.resolve("run").toString())));
    }
}
