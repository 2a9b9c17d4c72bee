package hoist.engine.sign;

import com.code_intelligence.jazzer.junit.FuzzTest;
import hoist.engine.testing.ParserContract;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.Transports;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fuzzes the {@code policy.json} reader and the check a copy makes with it (the requirements that
 * apply to an image and whether they accept it, unsigned): a damaged policy reads or fails with a
 * HoistException naming the file and field, and a policy that reads either accepts the image or
 * rejects it with a HoistException.
 *
 * <p>Seeds and kept findings: {@code SignaturePolicyFuzzTestInputs/loadPolicy/} in the test
 * resources.
 *
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-policy.json.5.md">containers-policy.json(5)</a>
 */
@Timeout(30)
class SignaturePolicyFuzzTest {

    private static final Path FILE = ParserContract.scratchDirectory("hoist-fuzz-policy-").resolve("policy.json");
    private static final List<ImageReference> IMAGES = List.of(
            Transports.parse("docker://registry.example.com/ns/app:1"),
            Transports.parse("docker://docker.io/library/alpine:latest"),
            Transports.parse("oci:/tmp/layout:tag"),
            Transports.parse("dir:/tmp/image"));
    private static final byte[] MANIFEST = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);

    @FuzzTest(maxDuration = "4s")
    void loadPolicy(byte[] input) throws Exception {
        Files.write(FILE, input);
        ParserContract.check(() -> {
            SignaturePolicy policy = SignaturePolicy.load(FILE);
            for (ImageReference image : IMAGES) {
                policy.wantsSigstore(image);
                ParserContract.check(() -> policy.check(image, MANIFEST, List.of()));
            }
        }, IOException.class);
    }
}
