package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.testing.Command;
import hoist.engine.testing.Skopeo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What skopeo makes of an image's layers when it decompresses them. */
final class SkopeoDecompression {

    private SkopeoDecompression() {
    }

    /**
     * skopeo copies {@code ref} (TLS not verified) to {@code dir:TEMP/skopeo-NAME}, decompressing
     * every layer; returns the digests of what it decompressed, in layer order, which are the
     * layers' diff IDs.
     */
    static List<String> layerDigests(Path temp, String ref, String name) {
        String out = "dir:" + temp.resolve("skopeo-" + name);
        Command.run("skopeo", "--insecure-policy", "copy", "-q", "--src-tls-verify=false", "--dest-decompress", ref, out);
        List<String> ids = new ArrayList<>();
        for (JsonNode layer : Skopeo.manifest(out).path("layers")) {
            assertTrue(layer.path("mediaType").asText().endsWith(".tar"), "decompressed by skopeo: " + layer);
            ids.add(layer.path("digest").asText()); // uncompressed: the digest is the diff ID
        }
        return ids;
    }
}
