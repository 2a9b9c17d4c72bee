package hoist.shell;

import hoist.engine.image.Digest;
import hoist.engine.testing.Command;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code inspect --raw} prints a list exactly as stored, as skopeo does, even when it has no image
 * for this machine; only what needs one image (the summary, {@code --config}) chooses a platform.
 */
class InspectRawTest {

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    @Test
    void rawPrintsAListWithoutThisMachinesPlatformAsStored() {
        // a list of the arm64 image only (the tests run on amd64)
        String arm = "oci:" + temp.resolve("arm") + ":img";
        Command.run("skopeo", "--insecure-policy", "--override-arch", "arm64", "copy", "-q", TestImages.multiPlatform(), arm);
        ok(hoist("manifest", "create", "localhost/arm-only:1", arm));
        String layout = "oci:" + temp.resolve("list") + ":list";
        ok(hoist("manifest", "push", "-q", "--all", "localhost/arm-only:1", layout));
        assertTrue(Skopeo.rawManifest(layout).contains("arm64"), "the fixture is a list with an arm64 entry");

        for (String list : new String[] {layout, "localhost/arm-only:1"}) {
            Cli.Run raw = ok(hoist("inspect", "--raw", list));
            String printed = raw.out();
            assertEquals(Skopeo.rawManifest(layout), printed, list);
            assertEquals(Skopeo.manifestDigest(layout), Digest.sha256(printed.getBytes(StandardCharsets.UTF_8)), "as stored: " + list);
            ok(hoist("inspect", "--tree", list));
            Cli.Run summary = hoist("inspect", list);
            assertEquals(1, summary.status(), summary::toString);
            assertTrue(summary.err().contains("has no image for linux/amd64"), summary::toString);
            Cli.Run config = hoist("inspect", "--raw", "--config", list);
            assertEquals(1, config.status(), config::toString);
        }
    }
}
