package hoist.shell;

import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Files and directories hoist writes have the modes skopeo's have under the same umask; secrets stay private. */
class FileModesTest {

    @TempDir
    Path temp;

    /** Each path under {@code root} (relative; blob names replaced by their kind) with its mode, e.g. {@code rw-r--r--}. */
    private static Map<String, String> modes(Path root) throws IOException {
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String name = root.relativize(p).toString().replaceAll("[0-9a-f]{64}", "BLOB");
                modes.merge(name, PosixFilePermissions.toString(Files.getPosixFilePermissions(p)),
                        (a, b) -> a.equals(b) ? a : a + "|" + b);
            }
        }
        return modes;
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void layoutsDirectoriesAndArchivesHaveTheModesSkopeoGivesThem() throws IOException {
        String image = TestImages.multiLayer();
        Cli cli = new Cli(temp.resolve("store"));
        for (String transport : new String[] {"oci", "dir"}) {
            Path ours = temp.resolve("ours-" + transport);
            Path theirs = temp.resolve("theirs-" + transport);
            String suffix = transport.equals("oci") ? ":x" : "";
            Cli.Run run = cli.run("copy", "-q", image, transport + ":" + ours + suffix);
            assertEquals(0, run.status(), run::toString);
            Skopeo.copy(image, transport + ":" + theirs + suffix);
            Map<String, String> skopeo = modes(theirs);
            skopeo.keySet().removeIf(k -> k.startsWith("signature")); // dir: skopeo's own extras
            Map<String, String> hoist = modes(ours);
            hoist.keySet().retainAll(skopeo.keySet());
            assertEquals(skopeo, hoist, transport);
        }
        for (String transport : new String[] {"docker-archive", "oci-archive"}) {
            Path ours = temp.resolve("ours-" + transport + ".tar");
            Path theirs = temp.resolve("theirs-" + transport + ".tar");
            Cli.Run run = cli.run("copy", "-q", image, transport + ":" + ours);
            assertEquals(0, run.status(), run::toString);
            Skopeo.copy(image, transport + ":" + theirs);
            assertEquals(mode(theirs), mode(ours), transport);
        }
        assertEquals(0, cli.run("pull", "-q", image).status());
        assertEquals("rwx------", mode(temp.resolve("store")), "the local store is its owner's");
    }
}
