package hoist.engine.transport;

import com.code_intelligence.jazzer.junit.FuzzTest;
import hoist.engine.testing.ParserContract;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzes the reference parsers: {@link DockerReference#parse} and {@link Transports#parse}, which
 * hands the details to each transport's own parser ({@code docker://}, {@code oci:},
 * {@code containers-storage:}, ...). A reference either parses or is a HoistException; a parsed
 * one reads back as itself.
 *
 * <p>Seeds and kept findings: {@code ReferenceFuzzTestInputs/parseReference/} in the test
 * resources, one reference per file.
 */
@Timeout(30)
class ReferenceFuzzTest {

    @FuzzTest(maxDuration = "4s")
    void parseReference(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.UTF_8);
        ParserContract.check(() -> {
            DockerReference parsed = DockerReference.parse(text);
            assertEquals(parsed, DockerReference.parse(parsed.toString()), "a parsed name reads back as itself");
            assertEquals(parsed, DockerReference.parse(parsed.familiar()), "the familiar form reads back as the name");
        });
        ParserContract.check(() -> {
            ImageReference parsed = Transports.parse(text, "docker");
            parsed.text();
            parsed.dockerReference();
        });
    }
}
