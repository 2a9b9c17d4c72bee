package hoist.engine.sign;

import com.code_intelligence.jazzer.junit.FuzzTest;
import hoist.engine.testing.ParserContract;
import hoist.engine.transport.DockerReference;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the {@code registries.d} reader (YAML files naming each registry's signature lookaside
 * and whether it uses sigstore attachments) and the look-ups a copy makes with it: a damaged file
 * reads or fails with a HoistException naming it.
 *
 * <p>Seeds and kept findings: {@code RegistriesDFuzzTestInputs/loadRegistriesD/} in the test
 * resources.
 *
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-registries.d.5.md">containers-registries.d(5)</a>
 */
@Timeout(30)
class RegistriesDFuzzTest {

    private static final Path DIR = ParserContract.scratchDirectory("hoist-fuzz-registries-d-");
    private static final DockerReference[] IMAGES = {
            DockerReference.parse("registry.example.com/ns/app:1"),
            DockerReference.parse("docker.io/library/alpine:latest"),
            DockerReference.parse("localhost:5000/app@sha256:" + "a".repeat(64))};

    @FuzzTest(maxDuration = "4s")
    void loadRegistriesD(byte[] input) throws Exception {
        Files.write(DIR.resolve("fuzzed.yaml"), input);
        ParserContract.check(() -> {
            RegistriesD config = RegistriesD.load(DIR);
            for (DockerReference image : IMAGES) {
                config.lookasideBase(image, false);
                config.lookasideBase(image, true);
                config.useSigstoreAttachments(image);
            }
        }, IOException.class);
    }
}
