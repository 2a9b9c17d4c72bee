package hoist.engine.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import hoist.engine.testing.ParserContract;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link ImageConfig#parse} and the fields a copy and {@code inspect} read from a config
 * (platform, creation time, {@code rootfs.diff_ids}, history): each returns or throws a
 * HoistException naming the field.
 *
 * <p>Seeds and kept findings: {@code ImageConfigFuzzTestInputs/parseConfig/} in the test
 * resources (configs written by buildah).
 */
@Timeout(30)
class ImageConfigFuzzTest {

    @FuzzTest(maxDuration = "4s")
    void parseConfig(byte[] input) throws Exception {
        ParserContract.check(() -> {
            ImageConfig config = ImageConfig.parse(input);
            config.digest();
            config.os();
            config.architecture();
            config.variant();
            config.created();
            config.history();
            config.containerConfig();
            config.diffIds();
            config.platform();
        });
    }
}
