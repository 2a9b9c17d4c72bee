package hoist.shell;

import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local store through the commands: pull, images, tag, push, rmi, check, and two writers at once. */
class LocalStoreTest {

    @TempDir
    Path temp;

    private Path store() {
        return temp.resolve("store");
    }

    private Cli cli() {
        return new Cli(store());
    }

    @Test
    void pulledImagesAreNamedListedTaggedPushedAndRemoved() {
        String original = TestImages.multiLayer();
        String id = ok(cli().run("pull", "-q", original)).out().strip();
        assertEquals(Skopeo.manifest(original).path("config").path("digest").asText(), "sha256:" + id);

        String images = ok(cli().run("images")).out();
        assertTrue(images.contains("localhost/multi") && images.contains(id.substring(0, 12)), images);

        ok(cli().run("tag", id.substring(0, 8), "app:1", "quay.example/team/app:2"));
        images = ok(cli().run("images")).out();
        assertTrue(images.contains("localhost/app") && images.contains("quay.example/team/app"), images);

        String pushed = "oci:" + temp.resolve("pushed") + ":v1";
        ok(cli().run("push", "-q", "app:1", pushed));
        assertEquals(Skopeo.manifestDigest(original), Skopeo.manifestDigest(pushed), "store keeps blobs as received");

        String untagged = ok(cli().run("rmi", "app:1")).out();
        assertEquals("Untagged: localhost/app:1", untagged.strip());
        String deleted = ok(cli().run("rmi", "-f", id)).out();
        assertTrue(deleted.contains("Deleted: " + id), deleted);
        Cli.Run gone = cli().run("inspect", "app:2");
        assertEquals(1, gone.status(), gone::toString);
        assertTrue(gone.err().startsWith("Error: app:2: image not known"), gone::toString);
        assertEquals(0, countBlobs(), "unreferenced blobs are collected");
        ok(cli().run("check"));
    }

    @Test
    void rmiByIdOfAnImageWithSeveralNamesNeedsForceAndNamesThem() {
        String id = ok(cli().run("pull", "-q", TestImages.multiLayer())).out().strip();
        ok(cli().run("tag", id, "app:1", "app:2"));

        Cli.Run refused = cli().run("rmi", id.substring(0, 12));
        assertEquals(1, refused.status(), refused::toString);
        assertTrue(refused.err().contains("localhost/app:1") && refused.err().contains("localhost/app:2")
                && refused.err().contains("rmi -f"), refused::toString);
        assertTrue(ok(cli().run("images")).out().contains("localhost/app"), "nothing removed");

        assertEquals("Untagged: localhost/app:2", ok(cli().run("rmi", "app:2")).out().strip(), "a name removes only itself");
        String forced = ok(cli().run("rmi", "-f", id.substring(0, 12))).out();
        assertTrue(forced.contains("Untagged: localhost/app:1") && forced.contains("Deleted: " + id), forced);
        assertEquals(0, countBlobs());
    }

    @Test
    void rmiAllEmptiesTheStoreAndRefusesNamesBesideIt() {
        String id = ok(cli().run("pull", "-q", TestImages.multiLayer())).out().strip();
        ok(cli().run("tag", id, "app:1"));
        Cli.Run both = cli().run("rmi", "-a", "app:1");
        assertEquals(2, both.status(), both::toString);
        String removed = ok(cli().run("rmi", "-a")).out();
        assertTrue(removed.contains("Untagged: localhost/app:1") && removed.contains("Deleted: " + id), removed);
        assertEquals(1, ok(cli().run("images")).out().strip().lines().count(), "only the header is left");
        assertEquals(0, countBlobs());
        ok(cli().run("check"));
    }

    @Test
    void checkFindsACorruptedBlobAndNamesIt() throws IOException {
        String id = ok(cli().run("pull", "-q", TestImages.multiLayer())).out().strip();
        ok(cli().run("check"));
        String layer = Skopeo.layers(TestImages.multiLayer()).get(0);
        flipByte(store().resolve("blobs/sha256").resolve(layer.substring(7)), 100);
        Cli.Run check = cli().run("check");
        assertEquals(1, check.status(), check::toString);
        assertTrue(check.err().contains("blob " + layer + " is corrupt"), check::toString);
        Cli.Run push = cli().run("push", "-q", id, "oci:" + temp.resolve("never") + ":x");
        assertEquals(1, push.status(), push::toString);
        assertTrue(push.err().contains(layer), push::toString);
        assertTrue(Files.notExists(temp.resolve("never")), "a failed push leaves nothing");
    }

    @Test
    void twoProcessesPullingAtOnceLoseNothing() throws Exception {
        int perProcess = 6;
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < 2 * perProcess; i++) {
            // the same content under many names: every pull writes the index concurrently with the other process
            Path layout = temp.resolve("layout" + i);
            ok(new Cli(temp.resolve("scratch")).run("copy", "-q", TestImages.multiPlatform(), "oci:" + layout + ":img" + i));
            sources.add("oci:" + layout + ":img" + i);
        }
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            List<String> command = new ArrayList<>(List.of(javaBinary(), "-cp", System.getProperty("java.class.path"),
                    PullMany.class.getName(), store().toString()));
            command.addAll(sources.subList(p * perProcess, (p + 1) * perProcess));
            processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(temp.resolve("process" + p + ".log").toFile()).start());
        }
        for (int p = 0; p < 2; p++) {
            assertTrue(processes.get(p).waitFor(5, TimeUnit.MINUTES));
            assertEquals(0, processes.get(p).exitValue(), Files.readString(temp.resolve("process" + p + ".log")));
        }
        String images = ok(cli().run("images")).out();
        for (int i = 0; i < 2 * perProcess; i++) {
            // an OCI REF names the image localhost/REF, as podman names it
            assertTrue(images.contains("localhost/img" + i + " "), "image " + i + " lost:\n" + images);
        }
        ok(cli().run("check"));
    }

    /** Pulls each source in turn into a store; run as a separate process by the test above. */
    public static final class PullMany {
        public static void main(String[] args) {
            for (int i = 1; i < args.length; i++) {
                int status = Main.run(new String[] {"--root", args[0], "pull", "-q", args[i]},
                        new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true));
                if (status != 0) {
                    System.exit(status);
                }
            }
            System.exit(0);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private long countBlobs() {
        try (var files = Files.list(store().resolve("blobs/sha256"))) {
            return files.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0xff);
        }
    }
}
