package hoist.engine.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import hoist.engine.testing.ParserContract;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the {@code auth.json} reader and the look-ups {@code login}, {@code push} and
 * {@code pull} make in it (credentials by registry and repository, credential helpers): a damaged
 * file reads or fails with a HoistException naming it.
 *
 * <p>Seeds and kept findings: {@code AuthFileFuzzTestInputs/readAuthFile/} in the test resources.
 *
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-auth.json.5.md">containers-auth.json(5)</a>
 */
@Timeout(30)
class AuthFileFuzzTest {

    private static final Path FILE = ParserContract.scratchDirectory("hoist-fuzz-auth-").resolve("auth.json");

    @FuzzTest(maxDuration = "4s")
    void readAuthFile(byte[] input) throws Exception {
        Files.write(FILE, input);
        ParserContract.check(() -> {
            AuthFile file = AuthFile.read(FILE);
            for (String key : new String[] {"docker.io", "registry.example.com", "localhost:5000",
                    "quay.io/org/repo", "registry.example.com/ns/app"}) {
                file.stored(key);
                file.helper(key);
            }
        }, IOException.class);
    }
}
