package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.testing.Command;
import hoist.engine.testing.Registry;
import hoist.engine.testing.SifWriter;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.StartedRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sif:} files written by the tests' own SIF writer around a squashfs that mksquashfs made,
 * read by hoist and compared with what unsquashfs lists and what skopeo reads from the same file.
 */
class SifTransportTest {

    private static final UUID ID = UUID.fromString("b2659d4e-bd50-4ea5-bd17-eec5e54f918e");
    private static final long MODIFIED = 1_700_000_000L;
    private static final String DEFINITION = """
            Bootstrap: docker
            From: debian:12

            %environment
                # a comment, left out
                export GREETING=hello
                PLAIN='two words'
                export DERIVED="$HOME/bin"

            %runscript
                echo "$GREETING from the runscript"

            %labels
                Author someone
            """;

    @StartedRegistry
    private static Registry registry;

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    /** A root file system with the kinds of entries squashfs keeps, as a squashfs file. */
    private Path squashfs() throws IOException {
        Path root = temp.resolve("rootfs");
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(root.resolve("etc/os-release"), "NAME=test\n");
        Files.writeString(root.resolve("usr/bin/tool"), "#!/bin/sh\necho tool\n");
        Files.writeString(root.resolve("name with spaces"), "x");
        Files.write(root.resolve("usr/bin/big"), new byte[300_000]);
        Files.createSymbolicLink(root.resolve("usr/bin/link"), Path.of("tool"));
        Files.createLink(root.resolve("usr/bin/hard"), root.resolve("usr/bin/tool"));
        Command.run("chmod", "0755", root.resolve("usr/bin/tool").toString());
        Command.run("chown", "1234:5678", root.resolve("etc/os-release").toString());
        Path image = temp.resolve("rootfs.sqfs");
        Command.run("mksquashfs", root.toString(), image.toString(), "-noappend", "-quiet", "-no-progress");
        return image;
    }

    private Path sif(String name) throws IOException {
        Path file = temp.resolve(name);
        new SifWriter(SifWriter.ARCH_ARM64, ID, MODIFIED).definitionFile(DEFINITION)
                .partition(squashfs(), SifWriter.FS_SQUASH, SifWriter.PART_PRIMSYS).write(file);
        return file;
    }

    /** {@code unsquashfs -l}'s paths, relative, without the root. */
    private static Set<String> unsquashfsListing(Path squashfs) {
        return Command.run("unsquashfs", "-l", squashfs.toString()).lines()
                .filter(l -> l.startsWith("squashfs-root/"))
                .map(l -> l.substring("squashfs-root/".length()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** {@code tar -tv}'s lines of the one layer in an OCI layout, as {@code NAME MODE OWNER}. */
    private static Map<String, String> layerEntries(Path layout, String tag) {
        JsonNode manifest = Skopeo.manifest("oci:" + layout + ":" + tag);
        assertEquals(1, manifest.path("layers").size(), manifest::toString);
        String digest = manifest.path("layers").get(0).path("digest").asText();
        Path blob = layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
        return Command.run("tar", "--numeric-owner", "-tvf", blob.toString()).lines()
                .map(l -> l.split("\\s+", 6))
                .collect(Collectors.toMap(f -> name(f[5]), f -> f[0] + " " + f[1], (a, b) -> a, java.util.TreeMap::new));
    }

    private static String name(String field) {
        String n = field.replaceAll(" -> .*| link to .*", "");
        n = n.startsWith("./") ? n.substring(2) : n;
        return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }

    @Test
    void sifCopiedToOciHasTheSquashfsFilesAndTheDefinitionsCommand() throws IOException {
        Path sif = sif("app.sif");
        Path layout = temp.resolve("out");
        ok(hoist("copy", "-q", "sif:" + sif, "oci:" + layout + ":app"));

        Map<String, String> entries = layerEntries(layout, "app");
        Set<String> files = new TreeSet<>(entries.keySet());
        files.remove("");
        assertTrue(files.remove("podman/runscript"), "the injected script: " + files);
        assertTrue(files.remove("podman"), files::toString);
        assertEquals(unsquashfsListing(temp.resolve("rootfs.sqfs")), files);
        assertEquals("-rw-r--r-- 1234/5678", entries.get("etc/os-release"), "owner kept without extracting");
        assertEquals("-rwxr-xr-x 0/0", entries.get("usr/bin/hard"), "the first name of the file");
        assertEquals("hrwxr-xr-x 0/0", entries.get("usr/bin/tool"), "its second name, a hard link");
        assertEquals("-rwxr-xr-x 0/0", entries.get("podman/runscript"));

        JsonNode config = Skopeo.config("oci:" + layout + ":app");
        assertEquals("[\"/podman/runscript\"]", config.path("config").path("Cmd").toString());
        assertEquals("[\"GREETING=hello\",\"PLAIN=two words\"]", config.path("config").path("Env").toString());
        assertEquals("arm64", config.path("architecture").asText());
        assertEquals("linux", config.path("os").asText());
        assertEquals("2023-11-14T22:13:20Z", config.path("created").asText());
        assertEquals("imported from SIF, uuid: " + ID, config.path("history").get(0).path("comment").asText());
        assertTrue(config.path("history").get(1).path("empty_layer").asBoolean());
    }

    @Test
    void hoistAndSkopeoMakeTheSameImageOfASifFile() throws IOException {
        Path sif = sif("same.sif");
        Path byHoist = temp.resolve("by-hoist");
        Path bySkopeo = temp.resolve("by-skopeo");
        ok(hoist("copy", "-q", "sif:" + sif, "oci:" + byHoist + ":x"));
        Skopeo.copy("sif:" + sif, "oci:" + bySkopeo + ":x");

        JsonNode ours = Skopeo.config("oci:" + byHoist + ":x");
        JsonNode theirs = Skopeo.config("oci:" + bySkopeo + ":x");
        assertEquals(theirs.path("config").path("Cmd"), ours.path("config").path("Cmd"));
        assertEquals(theirs.path("architecture"), ours.path("architecture"));
        assertEquals(theirs.path("history").get(0).path("comment"), ours.path("history").get(0).path("comment"));
        Map<String, String> hoistEntries = layerEntries(byHoist, "x");
        Map<String, String> skopeoEntries = layerEntries(bySkopeo, "x");
        assertEquals(skopeoEntries.keySet(), hoistEntries.keySet());
        String script = Command.run("tar", "-xOf", byHoist.resolve("blobs/sha256").resolve(
                Skopeo.manifest("oci:" + byHoist + ":x").path("layers").get(0).path("digest").asText().substring(7)).toString(),
                "./podman/runscript");
        assertTrue(script.startsWith("#!/bin/bash\nexport GREETING=hello\n"), script);
        assertTrue(script.contains("echo \"$GREETING from the runscript\""), script);
    }

    @Test
    void sifPushedToARegistryIsReadBySkopeo() throws IOException {
        Path sif = sif("pushed.sif");
        String target = registry.ref("sif/app:1");
        ok(hoist("copy", "-q", "--dest-tls-verify=false", "sif:" + sif, target));
        JsonNode config = json(Command.run(List.of("skopeo", "inspect", "--tls-verify=false", "--config", "--raw", target), Map.of()));
        assertEquals("[\"/podman/runscript\"]", config.path("config").path("Cmd").toString());
        JsonNode inspect = json(Command.run(List.of("skopeo", "inspect", "--tls-verify=false", target), Map.of()));
        assertEquals(1, inspect.path("Layers").size());
        assertEquals("arm64", inspect.path("Architecture").asText());
    }

    @Test
    void aSifWithoutDefinitionFileRunsBash() throws IOException {
        Path file = temp.resolve("plain.sif");
        new SifWriter(SifWriter.ARCH_AMD64, ID, MODIFIED).partition(squashfs(), SifWriter.FS_SQUASH, SifWriter.PART_PRIMSYS)
                .write(file);
        Path layout = temp.resolve("plain");
        ok(hoist("copy", "-q", "sif:" + file, "oci:" + layout + ":p"));
        JsonNode config = Skopeo.config("oci:" + layout + ":p");
        assertEquals("[\"bash\"]", config.path("config").path("Cmd").toString());
        assertTrue(config.path("config").path("Env").isMissingNode());
        assertFalse(layerEntries(layout, "p").containsKey("podman/runscript"));
    }

    private static void assertOneErrorLine(Cli.Run run, String expected) {
        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().startsWith("Error: "), run::toString);
        assertEquals(1, run.err().strip().lines().count(), run::toString);
        assertTrue(run.err().contains(expected), "expected \"" + expected + "\" in: " + run);
    }

    @Test
    void aFileWithAWrongMagicIsOneErrorLine() throws IOException {
        Path file = temp.resolve("bad-magic.sif");
        new SifWriter(SifWriter.ARCH_AMD64, ID, MODIFIED).magic("NOT_MAGIC")
                .partition(squashfs(), SifWriter.FS_SQUASH, SifWriter.PART_PRIMSYS).write(file);
        Path layout = temp.resolve("never");
        assertOneErrorLine(hoist("copy", "sif:" + file, "oci:" + layout + ":x"), "not a SIF file");
        assertFalse(Files.exists(layout));
    }

    @Test
    void aTruncatedDescriptorTableIsOneErrorLine() throws IOException {
        Path file = temp.resolve("truncated.sif");
        new SifWriter(SifWriter.ARCH_AMD64, ID, MODIFIED).definitionFile(DEFINITION)
                .partition(squashfs(), SifWriter.FS_SQUASH, SifWriter.PART_PRIMSYS).write(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(4096 + 585 + 100);
        }
        assertOneErrorLine(hoist("copy", "sif:" + file, "oci:" + temp.resolve("never") + ":x"),
                "the descriptor table is truncated");
    }

    @Test
    void aSifWithoutRootPartitionIsOneErrorLine() throws IOException {
        Path file = temp.resolve("data-only.sif");
        new SifWriter(SifWriter.ARCH_AMD64, ID, MODIFIED).definitionFile(DEFINITION)
                .partition(squashfs(), SifWriter.FS_SQUASH, SifWriter.PART_DATA).write(file);
        assertOneErrorLine(hoist("copy", "sif:" + file, "oci:" + temp.resolve("never") + ":x"),
                "no primary system partition");
    }

    @Test
    void aPartitionThatIsNotSquashfsDataIsOneErrorLine() throws IOException {
        Path garbage = temp.resolve("garbage.sqfs");
        Files.write(garbage, new byte[64 * 1024]);
        Path file = temp.resolve("garbage.sif");
        new SifWriter(SifWriter.ARCH_AMD64, ID, MODIFIED).partition(garbage, SifWriter.FS_SQUASH, SifWriter.PART_PRIMSYS)
                .write(file);
        assertOneErrorLine(hoist("copy", "-q", "sif:" + file, "oci:" + temp.resolve("never") + ":x"),
                "unsquashfs could not read the root file system");
        assertFalse(Files.exists(temp.resolve("never")));
    }

    @Test
    void sifIsReadOnly() {
        Path target = temp.resolve("x.sif");
        assertOneErrorLine(hoist("copy", "-q", hoist.engine.testing.TestImages.multiLayer(), "sif:" + target),
                "the sif transport only reads images");
        assertFalse(Files.exists(target));
    }

    private static JsonNode json(String text) throws IOException {
        return hoist.engine.image.Json.read(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
