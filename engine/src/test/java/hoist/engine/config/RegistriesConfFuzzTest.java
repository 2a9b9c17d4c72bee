package hoist.engine.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import hoist.engine.testing.ParserContract;
import hoist.engine.transport.DockerReference;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the {@code registries.conf} reader and what a pull does with the result: resolving a
 * short name to candidates, finding the registry entry of a name and the route (mirrors,
 * insecure, blocked) its pulls take. A damaged file reads or fails with a HoistException naming it.
 *
 * <p>Seeds and kept findings: {@code RegistriesConfFuzzTestInputs/parseRegistriesConf/} in the
 * test resources (Debian's file among them).
 *
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-registries.conf.5.md">containers-registries.conf(5)</a>
 */
@Timeout(30)
class RegistriesConfFuzzTest {

    private static final Path FILE = ParserContract.scratchDirectory("hoist-fuzz-registries-").resolve("registries.conf");
    private static final String[] NAMES = {"alpine", "library/alpine:3", "example.com/app", "localhost:5000/app:1",
            "registry.example.com/ns/app@sha256:" + "a".repeat(64)};

    @FuzzTest(maxDuration = "4s")
    void parseRegistriesConf(byte[] input) throws Exception {
        Files.write(FILE, input);
        ParserContract.check(() -> {
            RegistriesConf conf = RegistriesConf.parse(FILE);
            for (String name : NAMES) {
                ParserContract.check(() -> ShortNames.candidates(name, conf));
                DockerReference reference = DockerReference.parse(name);
                conf.find(reference.name());
                RegistryRoute.of(reference, conf, RegistrySources.none()).readOrder();
            }
        });
    }
}
