package hoist.shell;

import hoist.engine.testing.Command;
import hoist.engine.testing.Registry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Groovy scripts, {@code -e} and the DSL's commands, run as users run them, against real registries. */
class ScriptTest {

    private static Registry first;
    private static Registry second;

    @TempDir
    Path temp;

    @BeforeAll
    static void startRegistries() {
        first = Registry.start();
        second = Registry.start();
    }

    @AfterAll
    static void stopRegistries() {
        first.close();
        second.close();
    }

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    private Path script(String name, String... lines) throws IOException {
        Path file = temp.resolve(name);
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    private static void assertOneErrorLine(Cli.Run run, String... expected) {
        assertEquals(1, run.status(), run::toString);
        assertEquals(1, run.err().strip().lines().count(), () -> "one line: " + run);
        assertTrue(run.err().startsWith("Error: "), run::toString);
        for (String text : expected) {
            assertTrue(run.err().contains(text), () -> "expected \"" + text + "\" in " + run);
        }
        assertFalse(run.err().contains("\tat "), run::toString);
    }

    @Test
    void aScriptNeedsNoBoilerplateAndSeesItsArguments() throws IOException {
        Path file = script("greet.groovy",
                "#!/usr/bin/env hoist",
                "Digest d = Digest.parse('sha256:' + 'a' * 64)",
                "println \"${args.length}: ${args.join(' ')} ${d.hex().size()}\"");
        assertEquals("3: one --two three 64", ok(hoist(file.toString(), "one", "--two", "three")).out().strip());
        assertEquals("1: x 64", ok(hoist("run", file.toString(), "x")).out().strip());
    }

    @Test
    void aScriptWithoutTheGroovySuffixRunsByItsPathAsAShebangRunsIt() throws IOException {
        Path file = script("mirror", "#!/usr/bin/env hoist", "println 'ran ' + args[0]");
        assertEquals("ran a", ok(hoist(file.toString(), "a")).out().strip());
    }

    @Test
    void aCommandWithSubcommandsIsAMethodAndAnObject() {
        String code = String.join("\n",
                "manifest.create('localhost/empty:1')",
                "println manifest('exists', 'localhost/empty:1')",
                "manifest 'rm', 'localhost/empty:1'",
                "println manifest.exists('localhost/empty:1')");
        assertEquals(List.of("true", "false"), ok(hoist("-e", code)).out().strip().lines().toList());
    }

    @Test
    void codeOnTheCommandLineRuns() {
        assertEquals("42", ok(hoist("-e", "println 6 * 7")).out().strip());
    }

    @Test
    void aScriptSetsItsExitStatusWritesToStderrAndHasGroovysJsonAndFileHelpers() throws IOException {
        Path list = temp.resolve("list.txt");
        Files.writeString(list, "a\nb\n");
        Path file = script("tools.groovy",
                "err.println 'to stderr'",
                "println new groovy.json.JsonSlurper().parseText('{\"n\": 2}').n + new File(args[0]).readLines().size()",
                "exit 3",
                "println 'never'");
        Cli.Run run = hoist(file.toString(), list.toString());
        assertEquals(3, run.status(), run::toString);
        assertEquals("4", run.out().strip());
        assertEquals("to stderr", run.err().strip());
        assertEquals(0, hoist("-e", "exit 0").status());
    }

    @Test
    void anUncaughtFailureNamesTheScriptLine() throws IOException {
        Path file = script("broken.groovy",
                "println 'start'",
                "",
                "copy 'oci:" + temp.resolve("missing") + ":x', 'oci:" + temp.resolve("out") + ":x'",
                "println 'never'");
        Cli.Run run = hoist(file.toString());
        assertOneErrorLine(run, "broken.groovy:3: ", temp.resolve("missing").toString());
        assertEquals("start", run.out().strip());
        assertFalse(Files.exists(temp.resolve("out")), "nothing written");
    }

    @Test
    void aMistypedCommandSuggestsTheRightOne() throws IOException {
        assertOneErrorLine(hoist(script("typo.groovy", "def x = 1", "psh 'app'").toString()),
                "typo.groovy:2: ", "\"psh\"", "did you mean push");
        assertOneErrorLine(hoist("-e", "copy 'oci:/a:x', 'oci:/b:x', formt: 'oci'"),
                "unknown option \"formt\"", "did you mean format");
    }

    @Test
    void aSyntaxErrorNamesLineAndColumn() throws IOException {
        assertOneErrorLine(hoist(script("syntax.groovy", "println 'a'", "push 'x',, 'y'").toString()),
                "syntax.groovy:2:");
    }

    @Test
    void aFailingCommandThrowsWhatTheScriptCanCatch() {
        String code = "try { inspect 'oci:" + temp.resolve("nothing") + ":x' } "
                + "catch (HoistException e) { println 'caught: ' + e.message }";
        Cli.Run run = ok(hoist("-e", code));
        assertTrue(run.out().startsWith("caught: ") && run.out().contains(temp.resolve("nothing").toString()), run::toString);
    }

    @Test
    void namedArgumentsAreTheLongOptionsAndResultsAreObjects() throws IOException {
        String source = TestImages.multiLayer();
        Path out = temp.resolve("v2s2");
        String code = String.join("\n",
                "def r = copy '" + source + "', to: 'dir:" + out + "', format: 'v2s2', quiet: true,"
                        + " digestfile: '" + temp.resolve("digest") + "'",
                "println r.digest",
                "def m = inspect('dir:" + out + "')",
                "println m.mediaType",
                "println m.layers.size() + ' ' + m.layers*.digest.every { it.toString().startsWith('sha256:') }",
                "println r.destinations[0].blobs*.outcome.unique()",
                "println r");
        List<String> lines = ok(hoist("-e", code)).out().strip().lines().toList();
        assertEquals(Skopeo.manifestDigest("dir:" + out).toString(), lines.get(0));
        assertEquals(lines.get(0), Files.readString(temp.resolve("digest")).strip());
        assertEquals("application/vnd.docker.distribution.manifest.v2+json", lines.get(1));
        assertEquals(Skopeo.layers(source).size() + " true", lines.get(2));
        assertEquals("[uploaded]", lines.get(3));
        assertTrue(lines.get(4).startsWith("dir:" + out + " " + lines.get(0) + ": "), lines.get(4));
        assertTrue(lines.get(4).endsWith(" 0 mounted, 0 already there"), "a result reads as a summary: " + lines.get(4));
    }

    @Test
    void onePushToThreeRepositoriesOnTwoRegistriesReadsEachLayerOnceSendsItOncePerRegistryAndEndsWithOneDigest() throws IOException {
        String source = TestImages.multiLayer();
        List<String> targets = List.of(first.ref("team/app:1"), first.ref("mirror/app:1"), second.ref("team/app:1"));
        Path file = script("mirror.groovy",
                "def r = push args[0], to: args[1..-1], tlsVerify: false, compressionFormat: 'zstd'",
                "r.destinations.each { println \"${it.destination} ${it.digest} ${it.mountedCount}\" }",
                "println r.digest");
        Cli.Run run = ok(hoist(file.toString(), source, targets.get(0), targets.get(1), targets.get(2)));
        List<String> lines = run.out().strip().lines().toList();
        String digest = lines.get(3);
        for (int i = 0; i < 3; i++) {
            assertTrue(lines.get(i).contains(" " + digest + " "), run::toString);
            String raw = Command.run(List.of("skopeo", "inspect", "--tls-verify=false", "--raw", targets.get(i)), Map.of());
            assertEquals(digest, hoist.engine.image.Digest.sha256(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .toString(), "same manifest at " + targets.get(i));
            assertTrue(raw.contains("zstd"), raw);
        }
        for (String layer : Skopeo.layers(source)) {
            long reads = run.err().lines().filter(l -> l.equals("Copying blob " + layer)).count();
            assertEquals(1, reads, "layer " + layer + " read and compressed once for three destinations: " + run);
        }
        int layers = Skopeo.manifest(source).path("layers").size();
        assertTrue(lines.get(0).endsWith(" 0"), "the first repository of a registry is sent the bytes: " + run);
        assertTrue(lines.get(1).endsWith(" " + (layers + 1)),
                "the second repository of that registry mounts every layer and the config: " + run);
        assertTrue(lines.get(2).endsWith(" 0"), "another registry is sent the bytes: " + run);
    }

    @Test
    void oneFailingDestinationDoesNotStopTheOthersAndTheResultSaysWhich() throws IOException {
        String source = TestImages.multiLayer();
        Path good = temp.resolve("good");
        String bad = "oci:/proc/hoist-cannot-write-here:x";
        String goodRef = "oci:" + good + ":x";
        Path file = script("partial.groovy",
                "try {",
                "    copy args[0], to: [args[1], args[2]], quiet: true",
                "} catch (CopyFailedException e) {",
                "    println e.result.failures*.destination",
                "    println e.result.destinations.findAll { it.succeeded }*.destination",
                "    println e.result.destinations*.destination",
                "}");
        List<String> lines = ok(hoist(file.toString(), source, goodRef, bad)).out().strip().lines().toList();
        assertEquals("[" + bad + "]", lines.get(0));
        assertEquals("[" + goodRef + "]", lines.get(1));
        assertEquals("[" + goodRef + ", " + bad + "]", lines.get(2), "results in the order given");
        assertEquals(Skopeo.rawManifest(source), Skopeo.rawManifest(goodRef));

        Cli.Run uncaught = hoist("copy", "-q", source, bad, "oci:" + temp.resolve("good2") + ":x");
        assertOneErrorLine(uncaught, bad);
        assertTrue(Files.exists(temp.resolve("good2").resolve("index.json")), "the other destination was written");
    }
}
