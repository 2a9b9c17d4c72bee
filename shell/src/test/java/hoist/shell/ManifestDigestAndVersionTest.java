package hoist.shell;

import hoist.engine.image.Digest;
import hoist.engine.testing.Command;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code manifest-digest} against skopeo's, and {@code version} laid out as podman's. */
class ManifestDigestAndVersionTest {

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    @Test
    void manifestDigestIsSkopeosForAnImageAndASignedSchema1Manifest() throws IOException {
        Path oci = temp.resolve("dir-oci");
        Path schema1 = temp.resolve("dir-v2s1");
        Skopeo.copy(TestImages.multiLayer(), "dir:" + oci);
        Skopeo.copy("--format", "v2s1", TestImages.multiLayer(), "dir:" + schema1);
        for (Path file : List.of(oci.resolve("manifest.json"), schema1.resolve("manifest.json"))) {
            Cli.Run run = hoist("manifest-digest", file.toString());
            assertEquals(0, run.status(), run::toString);
            assertEquals(Command.run("skopeo", "manifest-digest", file.toString()), run.out(), file.toString());
        }
        assertNotEquals(Digest.sha256(Files.readAllBytes(schema1.resolve("manifest.json"))) + "\n",
                hoist("manifest-digest", schema1.resolve("manifest.json").toString()).out(), "a signature is not hashed");
        Cli.Run script = hoist("-e", "println manifestDigest('" + schema1.resolve("manifest.json") + "').digest");
        assertEquals(Command.run("skopeo", "manifest-digest", schema1.resolve("manifest.json").toString()), script.out(),
                "a command of two words is a camelCase method: " + script);
        Cli.Run missing = hoist("manifest-digest", temp.resolve("none.json").toString());
        assertEquals(1, missing.status(), missing::toString);
        assertTrue(missing.err().startsWith("Error: " + temp.resolve("none.json") + ": no such file"), missing::toString);
    }

    @Test
    void versionNamesHoistAndJavaAsPodmanLaysItOut() {
        Cli.Run run = hoist("version");
        assertEquals(0, run.status(), run::toString);
        List<String> lines = run.out().strip().lines().toList();
        assertEquals(List.of("Version:", "Java Version:", "Java VM:", "OS/Arch:", "Deflate:"),
                lines.stream().map(l -> l.substring(0, 14).strip()).toList(), run::toString);
        assertTrue(lines.get(0).matches("Version: +[^ ]+"), "hoist's version alone, as podman's line: " + lines.get(0));
        assertEquals("Java Version: " + System.getProperty("java.runtime.version"), lines.get(1));
        assertEquals("OS/Arch:      linux/amd64", lines.get(3), "the machine the tests run on");
        assertEquals(System.getProperty("java.runtime.version") + "\n", hoist("version", "-f", "{{.Client.JavaVersion}}").out());
        assertTrue(hoist("version", "--format", "json").out().contains("\"Client\": {"), run::toString);
    }
}
