package hoist.shell;

import com.github.luben.zstd.ZstdOutputStream;
import hoist.engine.image.Digest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad input corpus ({@code src/test/resources/badinput/CASE/}): every case is hostile or
 * broken input (manifests, indexes, configs, blobs, archives, bombs, references, configuration
 * files, registries that lie) and the exact error hoist must answer it with.
 *
 * <p>A case directory holds its input files; {@code args}, hoist's arguments one a line;
 * {@code expected}, {@code exit N} then the one line hoist must print on stderr. Optional:
 * {@code env} ({@code NAME=VALUE} lines: hoist then runs as its own process with them),
 * {@code generate} (inputs too large to keep as files, made here: bombs, deep and large JSON),
 * {@code routes} (the answers of a {@link CraftedRegistry}). In all of them {@code {case}} is
 * the case's copy, {@code {dest}} a destination that must not exist afterwards,
 * {@code {registry}}/{@code {other}} the crafted registry's hosts.
 *
 * <p>Each case must end with its exit status (1, or 2 for usage), exactly its one {@code Error:}
 * line and nothing else on stderr (no stack trace), and leave the working directory (inputs,
 * destination) and the temporary directory exactly as they were.
 */
class BadInputCorpusTest {

    private static final Path CORPUS = corpus();

    @TempDir
    Path temp;

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(CORPUS)) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputEndsWithItsOneErrorLineAndWritesNothing(String name) throws Exception {
        Path source = CORPUS.resolve(name);
        Path work = Files.createDirectories(temp.resolve("work"));
        Path caseDir = work.resolve("case");
        copyTree(source, caseDir);
        Path dest = work.resolve("dest");
        Path tmp = Files.createDirectories(temp.resolve("tmp"));
        if (Files.exists(source.resolve("generate"))) {
            for (String line : Files.readAllLines(source.resolve("generate"))) {
                if (!line.isBlank()) {
                    generate(caseDir, line.strip().split(" "));
                }
            }
        }
        try (CraftedRegistry registry = Files.exists(source.resolve("routes")) ? new CraftedRegistry(caseDir.resolve("routes")) : null) {
            Map<String, String> values = new TreeMap<>(Map.of("{case}", caseDir.toString(), "{dest}", dest.toString()));
            if (registry != null) {
                values.put("{registry}", registry.host());
                values.put("{other}", registry.otherHost());
            }
            List<String> args = new ArrayList<>();
            for (String line : Files.readAllLines(source.resolve("args"))) {
                args.add(fill(line, values));
            }
            List<String> expected = Files.readAllLines(source.resolve("expected"));
            assertEquals(2, expected.size(), name + ": expected holds 'exit N' and the Error: line");
            int status = Integer.parseInt(expected.get(0).substring("exit ".length()));
            String error = fill(expected.get(1), values);
            assertTrue(error.startsWith("Error: "), name + ": the expected line is an Error: line");
            assertTrue(status == 1 || status == 2, name + ": bad input ends with status 1 or 2");

            Map<String, String> before = snapshot(work);
            List<String> tmpBefore = listing(tmp);
            Cli.Run run = Files.exists(source.resolve("env"))
                    ? runProcess(args, env(source.resolve("env"), values), tmp)
                    : runHere(args, tmp);

            assertEquals(status, run.status(), () -> name + ": " + run);
            assertEquals(error + "\n", run.err(), () -> name + ": " + run);
            assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), () -> name + ": no stack trace: " + run);
            assertEquals("", run.out(), () -> name + ": nothing on stdout: " + run);
            assertFalse(Files.exists(dest), () -> name + ": the destination was not created: " + run);
            assertEquals(before, snapshot(work), () -> name + ": nothing written, changed or left behind: " + run);
            assertEquals(tmpBefore, listing(tmp), () -> name + ": nothing left in the temporary directory");
            if (registry != null) {
                assertTrue(registry.requests().stream().noneMatch(r -> r.startsWith("PUT ") && r.contains("/manifests/")),
                        () -> name + ": no manifest was written to the registry: " + registry.requests());
            }
        }
    }

    /** In this JVM, with the temporary directory at {@code tmp} (when {@code TMPDIR} does not say otherwise). */
    private Cli.Run runHere(List<String> args, Path tmp) {
        String saved = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
        try {
            return new Cli(temp.resolve("store")).run(args.toArray(String[]::new));
        } finally {
            System.setProperty("java.io.tmpdir", saved);
        }
    }

    /** As its own process, for settings only the environment gives (storage.conf, containers.conf). */
    private Cli.Run runProcess(List<String> args, Map<String, String> env, Path tmp) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--root", temp.resolve("store").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.environment().put("TMPDIR", tmp.toString());
        builder.redirectOutput(temp.resolve("out").toFile()).redirectError(temp.resolve("err").toFile());
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "hoist ended");
        return new Cli.Run(process.exitValue(), Files.readString(temp.resolve("out")), Files.readString(temp.resolve("err")));
    }

    private static Map<String, String> env(Path file, Map<String, String> values) throws IOException {
        Map<String, String> env = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.contains("=")) {
                env.put(line.substring(0, line.indexOf('=')), fill(line.substring(line.indexOf('=') + 1), values));
            }
        }
        return env;
    }

    private static String fill(String text, Map<String, String> values) {
        String filled = text;
        for (Map.Entry<String, String> e : values.entrySet()) {
            filled = filled.replace(e.getKey(), e.getValue());
        }
        return filled;
    }

    // --- inputs made here rather than kept: bombs, deep and large JSON

    /** One {@code generate} line: {@code KIND PATH} (PATH relative to the case's copy). */
    private static void generate(Path caseDir, String[] line) throws IOException {
        Path at = caseDir.resolve(line[1]);
        switch (line[0]) {
            // gzip can expand about 1030 times: 256 MiB of zeros is ~250 KiB, past the 64 MiB + 500x cap at ~190 MiB
            case "gzip-bomb" -> bombLayout(at, "gzip", 256L << 20);
            // zstd has no such bound: 512 MiB of zeros is a few KiB, cut off at ~64 MiB
            case "zstd-bomb" -> bombLayout(at, "zstd", 512L << 20);
            case "gzip-bomb-archive" -> {
                try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(at), 1 << 16)) {
                    zeros(out, 256L << 20);
                }
            }
            case "deep-json" -> Files.write(at, deepJson(100_000));
            case "deep-json-manifest" -> manifestLayout(at, deepJson(100_000));
            // index.json may hold 32 MiB, a manifest 4 MiB
            case "large-json" -> Files.write(at, largeJson(33 << 20));
            case "large-json-manifest" -> manifestLayout(at, largeJson(5 << 20));
            case "deep-json-archive" -> {
                try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(at))) {
                    byte[] json = deepJson(100_000);
                    TarArchiveEntry entry = new TarArchiveEntry("manifest.json");
                    entry.setSize(json.length);
                    tar.putArchiveEntry(entry);
                    tar.write(json);
                    tar.closeArchiveEntry();
                }
            }
            default -> throw new IllegalArgumentException("unknown generate kind " + line[0]);
        }
    }

    private static byte[] deepJson(int depth) {
        return ("{\"schemaVersion\":2,\"manifests\":" + "[".repeat(depth) + "]".repeat(depth) + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** A valid index of {@code bytes} bytes, most of them one long annotation. */
    private static byte[] largeJson(int bytes) {
        String head = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[],"
                + "\"annotations\":{\"filler\":\"";
        String tail = "\"}}";
        return (head + "x".repeat(bytes - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    /** An OCI layout (image {@code t}) whose only image's manifest is {@code manifest}. */
    private static void manifestLayout(Path dir, byte[] manifest) throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Digest digest = Digest.sha256(manifest);
        Files.write(dir.resolve("blobs/sha256").resolve(digest.hex()), manifest);
        index(dir, digest, manifest.length);
    }

    private static void index(Path dir, Digest manifest, long size) throws IOException {
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + manifest + "\",\"size\":" + size
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"t\"}}]}");
    }

    /** An OCI layout (image {@code t}) of one layer: {@code zeros} zero bytes, compressed. */
    private static void bombLayout(Path dir, String compression, long zeros) throws IOException {
        Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Path layer = blobs.resolve("layer");
        try (OutputStream file = Files.newOutputStream(layer);
             OutputStream out = compression.equals("gzip") ? new GZIPOutputStream(file, 1 << 16) : new ZstdOutputStream(file)) {
            zeros(out, zeros);
        }
        Digest layerDigest = sha256(layer);
        Files.move(layer, blobs.resolve(layerDigest.hex()));
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + Digest.sha256(new byte[0]) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = Digest.sha256(config);
        Files.write(blobs.resolve(configDigest.hex()), config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+"
                + compression + "\",\"digest\":\"" + layerDigest + "\",\"size\":" + Files.size(blobs.resolve(layerDigest.hex()))
                + "}]}").getBytes(StandardCharsets.UTF_8);
        Digest manifestDigest = Digest.sha256(manifest);
        Files.write(blobs.resolve(manifestDigest.hex()), manifest);
        index(dir, manifestDigest, manifest.length);
    }

    private static void zeros(OutputStream out, long count) throws IOException {
        byte[] block = new byte[1 << 20];
        for (long left = count; left > 0; left -= block.length) {
            out.write(block, 0, (int) Math.min(block.length, left));
        }
    }

    private static Digest sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), messageDigest())) {
            in.transferTo(OutputStream.nullOutputStream());
            return Digest.parse("sha256:" + HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest()));
        }
    }

    private static MessageDigest messageDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- what a directory holds

    /** Every path under {@code dir} with its size and modification time (directories: their entries). */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.forEach(p -> {
                try {
                    all.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                            : Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return all;
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static Path corpus() {
        try {
            return Path.of(BadInputCorpusTest.class.getResource("/badinput").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
