package hoist.shell;

import hoist.engine.testing.Command;
import hoist.engine.testing.Registry;
import hoist.engine.testing.StartedRegistry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code list-tags} prints exactly what skopeo list-tags prints, for a registry and for docker-archive files. */
class ListTagsTest {

    @StartedRegistry
    private static Registry registry;

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    private static String skopeoListTags(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("skopeo", "list-tags"));
        command.addAll(List.of(args));
        return Command.run(command, Map.of());
    }

    @Test
    void aRepositorysTagsAreSkopeosJson() {
        for (String tag : List.of("1", "2", "latest")) {
            Skopeo.copy("--dest-tls-verify=false", TestImages.multiLayer(), registry.ref("tags/app:" + tag));
        }
        String repository = "docker://" + registry.host() + "/tags/app";
        Cli.Run run = hoist("list-tags", "--tls-verify=false", repository);
        assertEquals(0, run.status(), run::toString);
        assertEquals(skopeoListTags("--tls-verify=false", repository), run.out());

        Cli.Run tagged = hoist("list-tags", "--tls-verify=false", repository + ":1");
        assertEquals(2, tagged.status(), tagged::toString);
        assertTrue(tagged.err().contains("without a tag"), tagged::toString);
    }

    @Test
    void anArchivesImageNamesAreSkopeosJson() {
        Path named = temp.resolve("named.tar");
        Skopeo.copy("--additional-tag", "example.com/b:2", TestImages.multiLayer(), "docker-archive:" + named + ":example.com/a:1");
        Path unnamed = temp.resolve("unnamed.tar");
        Skopeo.copy(TestImages.multiLayer(), "docker-archive:" + unnamed);
        for (Path archive : List.of(named, unnamed)) {
            Cli.Run run = hoist("list-tags", "docker-archive:" + archive);
            assertEquals(0, run.status(), run::toString);
            assertEquals(skopeoListTags("docker-archive:" + archive), run.out(), archive.toString());
        }
        Cli.Run missing = hoist("list-tags", "docker-archive:" + temp.resolve("none.tar"));
        assertEquals(1, missing.status(), missing::toString);
        Cli.Run layout = hoist("list-tags", "oci:" + temp.resolve("x"));
        assertEquals(2, layout.status(), layout::toString);
    }
}
