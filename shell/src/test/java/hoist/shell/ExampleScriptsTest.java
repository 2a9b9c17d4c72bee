package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;
import hoist.engine.testing.Command;
import hoist.engine.testing.Registry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every example script in {@code scripts/} run as a user runs it ({@code hoist SCRIPT ARGS}),
 * against two real registries, with its effects read back by skopeo. The registries are plain
 * http on loopback, marked insecure in a registries.conf as a user would mark them, so the scripts
 * carry no test-only options.
 */
class ExampleScriptsTest {

    /** The scripts a test runs; every script in scripts/ must be named by one. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface Exercises {
        String[] value();
    }

    private static final Path SCRIPTS = scriptsDirectory();

    private static Registry first;
    private static Registry second;
    private static Path registriesConf;

    @TempDir
    Path temp;

    /** What the running test says it exercises, and what it ran: an {@link Exercises} must be true. */
    private Set<String> declared = Set.of();
    private final Set<String> ran = new TreeSet<>();

    @BeforeEach
    void noteWhatTheTestExercises(TestInfo test) {
        declared = test.getTestMethod().map(m -> m.getAnnotation(Exercises.class))
                .map(e -> (Set<String>) new TreeSet<>(List.of(e.value()))).orElse(Set.of());
    }

    @AfterEach
    void checkTheTestRanWhatItSaysItExercises() {
        if (!declared.isEmpty()) {
            assertEquals(declared, ran, "scripts a test names in @Exercises are the scripts it runs");
        }
    }

    @BeforeAll
    static void startRegistries() throws IOException {
        first = Registry.start();
        second = Registry.start();
        registriesConf = Files.createTempFile("hoist-scripts-registries-", ".conf");
        Files.writeString(registriesConf, insecure(first) + insecure(second));
    }

    @AfterAll
    static void stopRegistries() throws IOException {
        first.close();
        second.close();
        Files.deleteIfExists(registriesConf);
    }

    private static String insecure(Registry registry) {
        return "[[registry]]\nlocation = \"" + registry.host() + "\"\ninsecure = true\n";
    }

    /** scripts/ of this checkout, wherever the tests run from (the reactor root or the module). */
    private static Path scriptsDirectory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path scripts = dir.resolve("scripts");
            if (Files.isDirectory(scripts) && Files.isRegularFile(dir.resolve("shell/pom.xml"))) {
                return scripts;
            }
        }
        throw new AssertionError("no scripts/ directory above " + Path.of("").toAbsolutePath());
    }

    /** Runs {@code hoist --root STORE --registries-conf CONF scripts/NAME ARGS...}. */
    private Cli.Run script(String name, String... args) {
        ran.add(name);
        List<String> all = new ArrayList<>(List.of("--root", temp.resolve("store").toString(),
                "--registries-conf", registriesConf.toString(), SCRIPTS.resolve(name).toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli.Run(status, out.toString(), err.toString());
    }

    /** hoist's own command line, for setting up what a script starts from. */
    private Cli.Run hoist(String... args) {
        List<String> all = new ArrayList<>(List.of("--registries-conf", registriesConf.toString()));
        all.addAll(List.of(args));
        Cli.Run run = new Cli(temp.resolve("store")).run(all.toArray(String[]::new));
        assertEquals(0, run.status(), run::toString);
        return run;
    }

    /** A failed script: status 1 and one Error line naming the script, without a stack trace. */
    private static Cli.Run failed(Cli.Run run, String scriptName, String... expected) {
        assertEquals(1, run.status(), run::toString);
        List<String> errors = run.err().lines().filter(l -> l.startsWith("Error: ")).toList();
        assertEquals(1, errors.size(), run::toString);
        assertTrue(errors.get(0).startsWith("Error: " + scriptName + ":"), run::toString);
        for (String text : expected) {
            assertTrue(errors.get(0).contains(text), () -> "expected \"" + text + "\" in " + run);
        }
        assertFalse(run.err().contains("\tat "), run::toString);
        return run;
    }

    private static String raw(String reference) {
        return Command.run(List.of("skopeo", "inspect", "--tls-verify=false", "--raw", reference), Map.of());
    }

    private static String digestAt(String reference) {
        return Digest.sha256(raw(reference).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static boolean exists(String reference) {
        return Command.exec(List.of("skopeo", "inspect", "--tls-verify=false", "--raw", reference), Map.of()).status() == 0;
    }

    private static JsonNode json(String text) {
        try {
            return Json.read(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> layerDigests(String reference) {
        List<String> digests = new ArrayList<>();
        json(raw(reference)).path("layers").forEach(l -> digests.add(l.path("digest").asText()));
        return digests;
    }

    private static List<String> lines(Cli.Run run) {
        return run.out().strip().lines().toList();
    }

    private static String lineWith(Cli.Run run, String... texts) {
        return run.out().lines().filter(l -> Arrays.stream(texts).allMatch(l::contains)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + List.of(texts) + " in " + run));
    }

    @Test
    @Exercises("mirror.groovy")
    void mirrorWritesOneDigestToEveryDestinationReadingEachLayerOnce() {
        String source = TestImages.multiLayer();
        List<String> targets = List.of(first.ref("team/app:1"), first.ref("mirror/app:1"), second.ref("team/app:1"));
        Cli.Run run = ok(script("mirror.groovy", source, targets.get(0), targets.get(1), targets.get(2)));
        String digest = digestAt(targets.get(0));
        for (String target : targets) {
            assertEquals(digest, digestAt(target), "same manifest at " + target);
            assertTrue(lineWith(run, target).startsWith("ok ") && lineWith(run, target).contains(digest), run::toString);
        }
        assertTrue(lines(run).get(lines(run).size() - 1).endsWith("as " + digest), run::toString);
        for (String layer : Skopeo.layers(source)) {
            assertEquals(1, run.err().lines().filter(l -> l.equals("Copying blob " + layer)).count(),
                    () -> "layer " + layer + " read once for three destinations: " + run);
        }
    }

    @Test
    @Exercises("mirror.groovy")
    void mirrorReportsEveryDestinationThenFailsWhenOneFailed() {
        String source = TestImages.multiLayer();
        String unreachable = "docker://127.0.0.1:1/team/app:1";
        String good = second.ref("partial/app:1");
        Cli.Run run = failed(script("mirror.groovy", source, unreachable, good), "mirror.groovy",
                "1 of 2 destinations failed", unreachable);
        assertTrue(lines(run).get(0).startsWith("FAILED  " + unreachable), "reported in the order given: " + run);
        assertTrue(lines(run).get(1).startsWith("ok      " + good + " " + digestAt(good)), run::toString);
        assertEquals(Skopeo.rawManifest(source), raw(good));
    }

    @Test
    @Exercises("promote.groovy")
    void promoteCopiesTheTestedImageWhenItsDigestMatchesTheDigestFile() throws IOException {
        String staging = first.ref("staging/app:1");
        String prod = second.ref("prod/app:1");
        Path digestFile = temp.resolve("app.digest");
        hoist("push", "-q", TestImages.multiLayer(), staging, "--digestfile", digestFile.toString());
        String expected = Files.readString(digestFile).strip();

        Cli.Run run = ok(script("promote.groovy", staging, prod, digestFile.toString()));
        assertEquals(expected, digestAt(prod));
        assertEquals(raw(staging), raw(prod));
        assertTrue(run.out().contains("promoted " + staging + " to " + prod + " (" + expected + ")"), run::toString);
    }

    @Test
    @Exercises("promote.groovy")
    void promoteRefusesAnImageThatIsNotTheExpectedOneAndLeavesProdAlone() {
        String staging = first.ref("staging/web:1");
        String prod = first.ref("prod/web:1");
        hoist("push", "-q", TestImages.multiLayer(), prod);
        String prodBefore = digestAt(prod);
        // staging now holds a different build of the image (same layers, another manifest format)
        hoist("push", "-q", "--format", "v2s2", TestImages.multiLayer(), staging);
        String stagingDigest = digestAt(staging);
        assertNotEquals(prodBefore, stagingDigest);

        Cli.Run run = failed(script("promote.groovy", staging, prod, prodBefore), "promote.groovy",
                "refusing to promote " + staging, "its digest is " + stagingDigest, "expected " + prodBefore);
        assertEquals("", run.out(), run::toString);
        assertEquals(prodBefore, digestAt(prod), "prod untouched");
        assertFalse(exists(second.ref("prod/web:1")));

        failed(script("promote.groovy", staging, second.ref("prod/web:1"), temp.resolve("no-such.digest").toString()),
                "promote.groovy", "no-such.digest", "neither a digest");
        assertFalse(exists(second.ref("prod/web:1")), "nothing written when the expected digest is missing");
    }

    @Test
    @Exercises("audit.groovy")
    void auditListsEveryLayerWithTotalsAndWarnsAboutLargeUncompressedAndMisTypedLayers() throws IOException {
        String oci = TestImages.multiLayer();
        String pushed = first.ref("audit/app:1");
        hoist("push", "-q", "--format", "v2s2", oci, pushed);
        Path uncompressed = temp.resolve("uncompressed");
        Skopeo.copy("--dest-decompress", oci, "dir:" + uncompressed);
        // an OCI manifest that names its first layer with a Docker media type, as a careless tool might write it
        Path mixed = temp.resolve("mixed");
        Skopeo.copy(oci, "dir:" + mixed);
        String manifest = Files.readString(mixed.resolve("manifest.json"));
        Files.writeString(mixed.resolve("manifest.json"), manifest.replaceFirst(
                "application/vnd\\.oci\\.image\\.layer\\.v1\\.tar\\+gzip", "application/vnd.docker.image.rootfs.diff.tar.gzip"));
        Path list = temp.resolve("images.txt");
        Files.writeString(list, "# images from the nightly build\n" + pushed + "\n\ndir:" + uncompressed + "\n");

        String platforms = TestImages.multiPlatform();

        Cli.Run run = ok(script("audit.groovy", "--max-layer-size=2", oci, "@" + list, "dir:" + mixed, platforms));
        // each image's table, and each platform's of the list (its manifests read straight from the layout)
        Map<String, JsonNode> manifests = new java.util.LinkedHashMap<>();
        for (String image : List.of(oci, pushed, "dir:" + uncompressed, "dir:" + mixed)) {
            manifests.put(image, json(raw(image)));
        }
        Path layout = Path.of(platforms.substring("oci:".length(), platforms.lastIndexOf(':')));
        for (JsonNode entry : json(raw(platforms)).path("manifests")) {
            String instance = platforms + " [linux/" + entry.path("platform").path("architecture").asText() + "]";
            manifests.put(instance, json(Files.readString(layout.resolve("blobs/sha256")
                    .resolve(entry.path("digest").asText().substring("sha256:".length())))));
        }
        assertEquals(6, manifests.size());
        long totalBytes = 0;
        int totalLayers = 0;
        for (Map.Entry<String, JsonNode> image : manifests.entrySet()) {
            assertTrue(run.out().contains(image.getKey() + "  "), () -> image.getKey() + " has a table: " + run);
            for (JsonNode layer : image.getValue().path("layers")) {
                lineWith(run, layer.path("digest").asText(), layer.path("mediaType").asText());
                totalBytes += layer.path("size").asLong();
                totalLayers++;
            }
        }
        String total = lineWith(run, "total: ");
        assertTrue(total.startsWith("total: 6 images, " + totalLayers + " layers, "
                + String.format("%.1f MB; ", totalBytes / 1024.0 / 1024.0)), total + " of " + totalBytes);

        String big = Skopeo.layers(oci).get(0);
        lineWith(run, "warning: " + oci + " layer 1 (" + big + ") is ", "over the limit of 2.0 MB");
        lineWith(run, "warning: dir:" + uncompressed + " layer 1 ", "is uncompressed (application/vnd.oci.image.layer.v1.tar)");
        lineWith(run, "warning: dir:" + mixed + " layer 1 ", "has media type application/vnd.docker.image.rootfs.diff.tar.gzip in an OCI image");
        assertEquals(0, run.out().lines().filter(l -> l.startsWith("warning: " + pushed) && !l.contains("over the limit")).count(),
                () -> "a consistent Docker image is not warned about: " + run);

        failed(script("audit.groovy", "--strict", "--max-layer-size=2", oci), "audit.groovy", "1 warnings");
    }

    @Test
    @Exercises("convert-zstd.groovy")
    void convertZstdWritesOciImagesWithZstdLayersAndReportsTheSizes() {
        String source = TestImages.multiLayer();
        Path v2s2 = temp.resolve("v2s2");
        hoist("copy", "-q", "--format", "v2s2", source, "dir:" + v2s2);
        String firstTarget = first.ref("zstd/app:1");
        String secondTarget = second.ref("zstd/legacy:1");

        Cli.Run run = ok(script("convert-zstd.groovy", source, firstTarget, "dir:" + v2s2, secondTarget));
        for (String target : List.of(firstTarget, secondTarget)) {
            JsonNode manifest = json(raw(target));
            assertEquals("application/vnd.oci.image.manifest.v1+json", manifest.path("mediaType").asText(), target);
            for (JsonNode layer : manifest.path("layers")) {
                assertEquals("application/vnd.oci.image.layer.v1.tar+zstd", layer.path("mediaType").asText(), target);
            }
            String line = lineWith(run, " -> " + target + "  " + digestAt(target) + ": ");
            assertTrue(line.matches(".*: [0-9.]+ [KM]?B -> [0-9.]+ [KM]?B \\([+-][0-9.]+%\\)"), line);
        }
        // the same layers, recompressed the same way, whatever format they came from
        assertEquals(layerDigests(firstTarget), layerDigests(secondTarget));
        assertEquals(Skopeo.layers(source).size(), layerDigests(firstTarget).size());
        assertTrue(lineWith(run, "total: ").matches("total: [0-9.]+ [KM]?B -> [0-9.]+ [KM]?B \\([+-][0-9.]+%\\)"), run::toString);
    }

    @Test
    @Exercises("retry-report.groovy")
    void retryReportCopiesEveryGoodLineAndNamesTheFailingOne() throws IOException {
        String source = TestImages.multiLayer();
        Path missing = temp.resolve("missing-layout");
        Path copies = temp.resolve("copies.txt");
        Files.writeString(copies, String.join("\n",
                "# nightly copies",
                source + " " + first.ref("batch/one:1"),
                "oci:" + missing + ":x " + second.ref("batch/two:1"),
                "",
                source + "   " + second.ref("batch/three:1"),
                "just-one-word") + "\n");

        Cli.Run run = failed(script("retry-report.groovy", copies.toString(), "2", "0.1"), "retry-report.groovy",
                "2 of 4 copies failed: lines 3, 6");
        String digest = Skopeo.manifestDigest(source).toString();
        assertEquals(digest, digestAt(first.ref("batch/one:1")));
        assertEquals(digest, digestAt(second.ref("batch/three:1")));
        assertFalse(exists(second.ref("batch/two:1")));
        assertTrue(lineWith(run, "copies.txt:2 ").startsWith("ok      ") && lineWith(run, "copies.txt:2 ").endsWith(digest), run::toString);
        assertTrue(lineWith(run, "copies.txt:5 ").startsWith("ok      "), run::toString);
        assertTrue(lineWith(run, "copies.txt:3 ").startsWith("FAILED  copies.txt:3 oci:" + missing + ":x -> "), run::toString);
        assertTrue(lineWith(run, "copies.txt:3 ").contains(missing.toString()), "the reason names what is missing: " + run);
        lineWith(run, "FAILED  copies.txt:6 ", "expected \"SOURCE DESTINATION\"");
        assertEquals(2, run.out().lines().filter(l -> l.startsWith("line 3: attempt ")).count(), "two attempts: " + run);
        lineWith(run, "2 copied, 2 failed");
    }

    /** One platform's image of the test index, alone in a layout of its own (made by skopeo). */
    private String platformImage(String arch) {
        String target = "oci:" + temp.resolve("platform-" + arch) + ":" + arch;
        Skopeo.copy("--override-arch", arch, TestImages.multiPlatform(), target);
        return target;
    }

    @Test
    @Exercises("multiarch.groovy")
    void multiarchPushesOneListOfThePerPlatformImagesAndLeavesNoListBehind() throws IOException {
        String amd = platformImage("amd64");
        String arm = platformImage("arm64");
        String target = first.ref("multi/app:1");

        Cli.Run run = ok(script("multiarch.groovy", target, amd, arm));
        JsonNode index = json(raw(target));
        assertEquals("application/vnd.oci.image.index.v1+json", index.path("mediaType").asText());
        List<String> platforms = new ArrayList<>();
        index.path("manifests").forEach(m -> platforms.add(m.path("platform").path("os").asText() + "/"
                + m.path("platform").path("architecture").asText()));
        assertEquals(List.of("linux/amd64", "linux/arm64"), platforms);
        assertEquals(target + " " + digestAt(target), lines(run).get(0));
        List<String> images = List.of(amd, arm);
        for (int i = 0; i < images.size(); i++) {
            String digest = index.path("manifests").get(i).path("digest").asText();
            assertEquals(Skopeo.manifestDigest(images.get(i)).toString(), digest, images.get(i));
            assertEquals(Skopeo.rawManifest(images.get(i)), raw(first.ref("multi/app@" + digest)), "pushed unchanged");
            lineWith(run, platforms.get(i) + "  " + digest);
        }
        assertFalse(Files.readString(temp.resolve("store/images.json")).contains("multiarch-"), "the working list is removed");
    }

    @Test
    @Exercises("multiarch.groovy")
    void multiarchRefusesTwoImagesForOnePlatformAndPushesNothing() throws IOException {
        String amd = platformImage("amd64");
        Path otherAmd = temp.resolve("amd64-v2s2");
        hoist("copy", "-q", "--format", "v2s2", amd, "dir:" + otherAmd);
        String target = first.ref("multi/refused:1");

        failed(script("multiarch.groovy", target, amd, platformImage("arm64"), "dir:" + otherAmd), "multiarch.groovy",
                "more than one image for linux/amd64");
        assertFalse(exists(target));
        assertFalse(Files.readString(temp.resolve("store/images.json")).contains("multiarch-"), "the working list is removed");
    }

    @Test
    @Exercises("tag-sweep.groovy")
    void tagSweepCopiesTheMatchingTagsOnly() {
        String source = TestImages.multiLayer();
        for (String tag : List.of("v1.0", "v1.1", "v2.0", "dev")) {
            hoist("push", "-q", source, first.ref("sweep/app:" + tag));
        }
        Cli.Run run = ok(script("tag-sweep.groovy", first.ref("sweep/app:dev"), second.ref("public/app"), "v1.*"));
        String digest = digestAt(first.ref("sweep/app:v1.0"));
        assertEquals(digest, digestAt(second.ref("public/app:v1.0")));
        assertEquals(digest, digestAt(second.ref("public/app:v1.1")));
        assertFalse(exists(second.ref("public/app:v2.0")));
        assertFalse(exists(second.ref("public/app:dev")));
        assertTrue(lineWith(run, "v1.1  " + digest).contains("0 uploaded"), "the second tag's blobs were already there: " + run);
        lineWith(run, "2 of 2 tags matching v1.* copied to " + second.ref("public/app"));

        failed(script("tag-sweep.groovy", first.ref("sweep/app:dev"), second.ref("public/app"), "v9*"),
                "tag-sweep.groovy", "no tag of " + first.ref("sweep/app") + " matches v9*");
    }

    @Test
    void everyScriptSaysHowToUseItWhenGivenNoArguments() throws IOException {
        for (String name : scriptNames()) {
            Cli.Run run = script(name);
            assertNotEquals(0, run.status(), run::toString);
            assertTrue(run.err().startsWith("Error: " + name + ":") && run.err().contains("usage: " + name),
                    () -> name + ": " + run);
        }
    }

    private static Set<String> scriptNames() throws IOException {
        try (Stream<Path> files = Files.list(SCRIPTS)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".groovy"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void everyScriptIsExercisedByATestAndStartsWithAShebangAndWhatItDoes() throws IOException {
        Set<String> exercised = new TreeSet<>();
        for (Method method : ExampleScriptsTest.class.getDeclaredMethods()) {
            Exercises exercises = method.getAnnotation(Exercises.class);
            if (exercises != null && method.isAnnotationPresent(Test.class)) {
                exercised.addAll(List.of(exercises.value()));
            }
        }
        Set<String> scripts = scriptNames();
        assertTrue(scripts.size() >= 6, "scripts: " + scripts);
        assertEquals(scripts, exercised, "every script in " + SCRIPTS + " runs in a test, and every script a test names exists");
        for (String name : scripts) {
            List<String> head = Files.readAllLines(SCRIPTS.resolve(name)).stream().limit(3).toList();
            assertEquals("#!/usr/bin/env hoist", head.get(0), name);
            assertTrue(head.get(1).startsWith("// ") && head.get(1).length() > 20, name + " says what it does");
        }
    }
}
