package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.image.Json;
import hoist.engine.image.MediaTypes;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code --format v2s2} into oci: and oci-archive: writes what skopeo writes, and hoist reads it back. */
class OciSchema2Test {

    @TempDir
    Path temp;

    private static JsonNode entry(Path layout) throws IOException {
        return Json.read(Files.readAllBytes(layout.resolve("index.json"))).path("manifests").get(0);
    }

    @Test
    void schema2ManifestsInALayoutAreWrittenAsSkopeoWritesThemAndReadBack() throws IOException {
        String image = TestImages.multiLayer();
        Cli cli = new Cli(temp.resolve("store"));
        Path ours = temp.resolve("ours");
        Path theirs = temp.resolve("theirs");
        Cli.Run run = cli.run("copy", "-q", "--format", "v2s2", image, "oci:" + ours + ":v2");
        assertEquals(0, run.status(), run::toString);
        Skopeo.copy("--format", "v2s2", image, "oci:" + theirs + ":v2");
        assertEquals(MediaTypes.DOCKER_MANIFEST, entry(ours).path("mediaType").asText());
        assertEquals(entry(theirs), entry(ours), "the same schema2 manifest, byte for byte");

        Cli.Run archive = cli.run("copy", "-q", "--format", "v2s2", image, "oci-archive:" + temp.resolve("app.tar"));
        assertEquals(0, archive.status(), archive::toString);
        for (String written : new String[] {"oci:" + ours + ":v2", "oci:" + theirs + ":v2", "oci-archive:" + temp.resolve("app.tar")}) {
            Path back = temp.resolve("back-" + Math.abs(written.hashCode()));
            Cli.Run read = cli.run("copy", "-q", written, "dir:" + back);
            assertEquals(0, read.status(), read::toString);
            assertEquals(Files.readString(theirs.resolve("blobs/sha256/" + entry(theirs).path("digest").asText().substring(7))),
                    Files.readString(back.resolve("manifest.json")), written);
        }
    }
}
