package hoist.engine.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import hoist.engine.testing.ParserContract;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the manifest parsers: {@link Manifest#parse} for OCI manifests and indexes and Docker
 * schema2 manifests and lists (with no media type and with each type a server could announce),
 * {@link Schema1Manifest#parse}, and the conversions a copy applies to a parsed manifest. Each
 * either returns or throws a HoistException naming the field.
 *
 * <p>Seeds and kept findings: {@code ManifestFuzzTestInputs/parseManifest/} in the test resources
 * (manifests written by skopeo and buildah, as they are on disk).
 */
@Timeout(30)
class ManifestFuzzTest {

    private static final List<String> HINTS;

    static {
        List<String> hints = new ArrayList<>();
        hints.add(null);
        hints.addAll(MediaTypes.ALL_MANIFESTS);
        HINTS = java.util.Collections.unmodifiableList(hints);
    }

    @FuzzTest(maxDuration = "4s")
    void parseManifest(byte[] input) throws Exception {
        for (String hint : HINTS) {
            byte[] raw = Arrays.copyOf(input, input.length);
            ParserContract.check(() -> {
                if (Schema1Manifest.isSchema1(raw, hint)) {
                    Schema1Manifest schema1 = Schema1Manifest.parse(raw, hint);
                    List<Digest> diffIds = new ArrayList<>();
                    for (int i = 0; i < schema1.layers().size(); i++) {
                        diffIds.add(Digest.sha256(new byte[] {(byte) i}));
                    }
                    schema1.platform();
                    ImageConfig.parse(schema1.config(diffIds)).diffIds();
                    return;
                }
                Manifest manifest = Manifest.parse(raw, hint);
                manifest.digest();
                manifest.format();
                if (manifest instanceof ImageManifest image) {
                    for (ManifestFormat format : ManifestFormat.values()) {
                        ParserContract.check(() -> ManifestConversion.convert(image, format));
                    }
                }
            });
        }
    }
}
