package hoist.shell;

import hoist.engine.testing.Command;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file system that fills up or is read-only under the store or under {@code TMPDIR} (small
 * tmpfs mounts made by the test): the command ends with one {@code Error:} line saying what could
 * not be written where, exit status 1, and the store is as consistent as before — {@code check}
 * passes, nothing staged is left, and the space is free again for the next pull.
 */
class FullDiskTest {

    /** tmpfs gives files whole pages. */
    private static final long PAGE = 4096;

    @TempDir
    Path temp;

    private final List<Path> mounts = new ArrayList<>();

    @AfterEach
    void unmount() {
        for (Path mount : mounts) {
            Command.run("umount", mount.toString());
        }
    }

    private Path tmpfs(String name, String options) throws IOException {
        Path dir = Files.createDirectories(temp.resolve(name));
        Command.run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString());
        mounts.add(dir);
        return dir;
    }

    @Test
    void aPullIntoAFullStoreEndsWithOneErrorAndLeavesTheStoreConsistent() throws IOException {
        Path full = tmpfs("full", "size=8m");
        Path store = full.resolve("store");
        Cli cli = new Cli(store);
        String kept = LayeredLayouts.write(temp.resolve("kept"), 1, 100);
        ok(cli.run("pull", "-q", kept));
        String big = LayeredLayouts.write(temp.resolve("big"), 2, 3000, 3000, 3000);

        Cli.Run pull = cli.run("pull", "-q", big);
        assertEquals(1, pull.status(), pull::toString);
        assertOneError(pull.err(), "no space left on device writing to the local store " + store);

        ok(cli.run("check"));
        assertEquals(List.of(), entries(store.resolve("tmp")), "nothing staged is left");
        String images = ok(cli.run("images", "--format", "{{.Repository}}:{{.Tag}}")).out();
        assertEquals("localhost/t:latest\n", images, "the image that was there, and no other");
        String small = LayeredLayouts.write(temp.resolve("small"), 3, 2000);
        ok(cli.run("pull", "-q", small));
        ok(cli.run("check"));
    }

    @Test
    void aDiskThatFillsUpJustAsTheIndexIsWrittenLeavesTheIndexAsItWas() throws IOException {
        Path full = tmpfs("index", "size=8m");
        Path store = full.resolve("store");
        Cli cli = new Cli(store);
        ok(cli.run("pull", "-q", LayeredLayouts.write(temp.resolve("kept"), 1, 100)));
        String next = LayeredLayouts.write(temp.resolve("next"), "next", 5, 700);
        // room for the new image's blobs, page for page, and not one page more: the index's new version does not fit
        long pages = 0;
        try (Stream<Path> blobs = Files.list(temp.resolve("next/blobs/sha256"))) {
            for (Path blob : blobs.toList()) {
                pages += (Files.size(blob) + PAGE - 1) / PAGE;
            }
        }
        long filler = Files.getFileStore(full).getUsableSpace() - pages * PAGE;
        try (OutputStream out = Files.newOutputStream(full.resolve("filler"))) {
            out.write(new byte[(int) filler]);
        }
        String index = Files.readString(store.resolve("images.json"));

        Cli.Run pull = cli.run("pull", "-q", next);
        assertEquals(1, pull.status(), pull::toString);
        assertOneError(pull.err(), "no space left on device writing the index of the local store " + store);
        assertEquals(index, Files.readString(store.resolve("images.json")), "the index is as it was");
        ok(cli.run("check"));
        assertEquals(List.of(), entries(store.resolve("tmp")), "nothing staged is left");
        Files.delete(full.resolve("filler"));
        ok(cli.run("pull", "-q", next));
        ok(cli.run("check"));
    }

    @Test
    void tmpdirOnAFullFileSystemEndsTheDecompressionOfAnArchiveWithOneError() throws Exception {
        Path full = tmpfs("fulltmp", "size=1m");
        fill(full);
        assertTmpdirFailure(full, "no space left on device writing a decompressed copy of ");
        assertEquals(List.of(full.resolve("filler")), entries(full), "the temporary copy is removed");
    }

    @Test
    void tmpdirOnAReadOnlyFileSystemEndsTheDecompressionOfAnArchiveWithOneError() throws Exception {
        Path readOnly = tmpfs("readonly", "size=1m,ro");
        assertTmpdirFailure(readOnly, "read-only file system writing a decompressed copy of ");
    }

    /** Pulls a gzip-compressed docker archive (which is decompressed to TMPDIR first) with {@code TMPDIR=tmpdir}. */
    private void assertTmpdirFailure(Path tmpdir, String expected) throws Exception {
        Cli scratch = new Cli(temp.resolve("scratch"));
        Path archive = temp.resolve("app.tar");
        ok(scratch.run("copy", "-q", LayeredLayouts.write(temp.resolve("layout"), 4, 300, 300),
                "docker-archive:" + archive + ":example.com/app:1"));
        Path gzipped = temp.resolve("app.tar.gz");
        try (InputStream in = Files.newInputStream(archive); OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
            in.transferTo(out);
        }
        Path store = temp.resolve("store");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--root", store.toString(), "pull", "-q", "docker-archive:" + gzipped)
                .redirectOutput(temp.resolve("out").toFile()).redirectError(temp.resolve("err").toFile());
        builder.environment().put("TMPDIR", tmpdir.toString());
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "hoist ended");
        String err = Files.readString(temp.resolve("err"));
        assertEquals(1, process.exitValue(), err);
        assertOneError(err, expected + gzipped + " to the temporary directory " + tmpdir + " (TMPDIR)");
        assertEquals("", Files.readString(temp.resolve("out")));
        Cli cli = new Cli(store);
        ok(cli.run("check"));
        assertEquals("", ok(cli.run("images", "-q")).out(), "no image");
        assertEquals(List.of(), entries(store.resolve("tmp")), "nothing staged is left");
    }

    private static void assertOneError(String err, String expected) {
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        List<String> errors = lines.stream().filter(l -> l.startsWith("Error: ")).toList();
        assertEquals(1, errors.size(), err);
        assertTrue(errors.get(0).contains(expected), () -> "expected \"" + expected + "\" in:\n" + err);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), err);
    }

    /** Writes a file until the file system is full. */
    private static void fill(Path dir) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(dir.resolve("filler"))) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            if (!e.getMessage().contains("No space left on device")) {
                throw e;
            }
        }
    }

    private static List<Path> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
