package hoist.shell;

import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pull names an image with the names its source carries, and never takes another image's name unasked. */
class PullNamesTest {

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        Cli.Run run = new Cli(temp.resolve("store")).run(args);
        assertEquals(0, run.status(), run::toString);
        return run;
    }

    private String idOf(String name) {
        return hoist("images", "--no-trunc").out().lines().filter(l -> l.startsWith(name.substring(0, name.lastIndexOf(':')) + " ")
                && l.contains(" " + name.substring(name.lastIndexOf(':') + 1) + " ")).findFirst().orElse("");
    }

    @Test
    void twoImagesOfOneLayoutKeepTheirOwnFullNames() {
        Path layout = temp.resolve("team");
        String app = "oci:" + layout + ":example.com/team/app:1.0";
        String tool = "oci:" + layout + ":example.com/team/tool:2.0";
        Skopeo.copy(TestImages.multiLayer(), app);
        Skopeo.copy("--override-arch", "arm64", TestImages.multiPlatform(), tool);
        String appId = hoist("pull", "-q", app).out().strip();
        String toolId = hoist("pull", "-q", tool).out().strip();
        String images = hoist("images").out();
        assertTrue(idOf("example.com/team/app:1.0").contains(appId.substring(0, 12)), images);
        assertTrue(idOf("example.com/team/tool:2.0").contains(toolId.substring(0, 12)), images);
        assertFalse(images.contains("<none>"), "no image lost its name: " + images);
    }

    @Test
    void archivesGiveTheirRepoTagsAndLayoutsTheirRefAsPodmanDoes() {
        String archive = TestImages.as(TestImages.multiLayer(), "docker-archive", temp.resolve("app.tar"));
        String bare = "docker-archive:" + temp.resolve("app.tar");
        assertTrue(archive.endsWith(":example.com/test/img:1"), archive);
        String id = hoist("pull", "-q", bare).out().strip();
        assertTrue(idOf("example.com/test/img:1").contains(id.substring(0, 12)), hoist("images").out());

        Skopeo.copy(TestImages.multiLayer(), "oci:" + temp.resolve("layout") + ":app");
        hoist("pull", "-q", "oci:" + temp.resolve("layout") + ":app");
        assertTrue(hoist("images").out().lines().anyMatch(l -> l.startsWith("localhost/app ") && l.contains(" latest ")),
                hoist("images").out());
    }

    @Test
    void aNameMadeFromAPathIsNotTakenFromAnotherImage() throws java.io.IOException {
        Path first = java.nio.file.Files.createDirectories(temp.resolve("a")).resolve("same");
        Path second = java.nio.file.Files.createDirectories(temp.resolve("b")).resolve("same");
        Skopeo.copy(TestImages.multiLayer(), "dir:" + first);
        Skopeo.copy("--override-arch", "arm64", TestImages.multiPlatform(), "dir:" + second);
        String firstId = hoist("pull", "-q", "dir:" + first).out().strip();
        String secondId = hoist("pull", "-q", "dir:" + second).out().strip();
        String images = hoist("images").out();
        assertTrue(idOf("localhost/same:latest").contains(firstId.substring(0, 12)), images);
        assertFalse(images.contains("<none>"), images);
        assertTrue(images.contains(secondId.substring(0, 12)), images);
        String again = hoist("pull", "-q", "dir:" + first).out().strip();
        assertEquals(firstId, again, "pulling the same image again keeps its name");
        assertFalse(hoist("images").out().contains("<none>"));
    }
}
