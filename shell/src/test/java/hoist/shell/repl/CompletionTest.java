package hoist.shell.repl;

import hoist.dsl.Session;
import hoist.engine.copy.ProgressListener;
import hoist.engine.testing.Registry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import hoist.engine.transport.TransportContext;
import org.jline.reader.Candidate;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.impl.DumbTerminal;
import java.io.InputStream;
import java.io.OutputStream;
import org.jline.reader.impl.completer.SystemCompleter;
import hoist.dsl.runner.CommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What Tab offers at each place of a command line: commands, options, transports, paths, a registry's tags. */
class CompletionTest {

    @TempDir
    Path temp;

    /** Set by a test that completes against a TLS registry whose certificate nobody trusts. */
    private boolean verifyTls;

    private TransportContext context() {
        TransportContext store = TransportContext.defaults().withStoreRoot(temp.resolve("store"));
        return verifyTls ? store : store.withRegistry(TransportContext.defaults().registry().withTlsVerify(false));
    }

    private List<Candidate> complete(String typed) {
        Session session = new Session(context(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                quiet -> ProgressListener.NONE);
        SystemCompleter completer = new HoistCommands(new CommandRunner(session).commandLine(),
                new ReferenceCompletion(() -> session, Duration.ofSeconds(5))).compileCompleters();
        completer.compile();
        ParsedLine line = new DefaultParser().parse(typed, typed.length(), Parser.ParseContext.COMPLETE);
        List<Candidate> candidates = new ArrayList<>();
        try {
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(new DumbTerminal(InputStream.nullInputStream(), OutputStream.nullOutputStream())).build();
            completer.complete(reader, line, candidates);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return candidates;
    }

    private Set<String> values(String typed) {
        return complete(typed).stream().map(Candidate::value).collect(Collectors.toSet());
    }

    @Test
    void theFirstWordIsACommandOrAShellWord() {
        Set<String> values = values("");
        assertTrue(values.containsAll(Set.of("push", "pull", "copy", "inspect", "images", "help", "cp")), values::toString);
    }

    @Test
    void aDashOffersTheCommandsOwnOptions() {
        Set<String> push = values("push -");
        assertTrue(push.containsAll(Set.of("--all", "--compression-format", "--digestfile", "-q", "--quiet")), push::toString);
        Set<String> images = values("images -");
        assertFalse(images.contains("--compression-format"), images::toString);
    }

    @Test
    void anOptionWithKnownValuesOffersThem() {
        assertEquals(Set.of("gzip", "zstd"), values("push --compression-format "));
        assertEquals(Set.of("oci", "v2s2"), values("copy --format "));
    }

    @Test
    void aCommandWithSubcommandsOffersThemThenTheirOwnOptions() {
        Set<String> manifest = values("manifest ");
        assertTrue(manifest.containsAll(Set.of("create", "add", "push", "inspect", "rm")), manifest::toString);
        Set<String> push = values("manifest push -");
        assertTrue(push.contains("--rm") && push.contains("--all"), push::toString);
        assertFalse(values("manifest -").contains("--rm"), "options belong to the subcommand that declares them");
    }

    @Test
    void anImageArgumentOffersTransportsThatDoNotEndTheWord() {
        List<Candidate> candidates = complete("push ");
        Set<String> transports = candidates.stream().filter(c -> !c.complete()).map(Candidate::value).collect(Collectors.toSet());
        assertEquals(Set.of("docker://", "oci:", "oci-archive:", "dir:", "docker-archive:", "docker-daemon:",
                "containers-storage:", "local:", "sif:", "ostree:", "atomic:"), transports, "every transport the engine registered, and only those");
        assertEquals(Set.copyOf(ReferenceCompletion.transportPrefixes()), transports);
    }

    @Test
    void pathsAfterTransportsThatTakeOne() throws IOException {
        Files.createDirectories(temp.resolve("layouts/app"));
        Files.writeString(temp.resolve("layouts/app.tar"), "");
        Files.writeString(temp.resolve("layouts/.hidden"), "");
        String typed = "oci-archive:" + temp.resolve("layouts") + "/ap";
        List<Candidate> candidates = complete("copy " + typed);
        String base = "oci-archive:" + temp.resolve("layouts") + "/";
        assertEquals(Set.of(base + "app/", base + "app.tar"), candidates.stream().map(Candidate::value).collect(Collectors.toSet()));
        assertFalse(candidates.stream().filter(c -> c.value().endsWith("/")).findFirst().orElseThrow().complete(),
                "a directory leaves the word open for what is inside");
        assertTrue(values("copy dir:" + temp + "/").stream().allMatch(v -> v.startsWith("dir:" + temp + "/")));
        String sifBase = "sif:" + temp.resolve("layouts") + "/";
        assertEquals(Set.of(sifBase + "app/", sifBase + "app.tar"), Set.copyOf(values("copy " + sifBase + "ap")),
                "a SIF file's path");
    }

    @Test
    void aRegistryRepositoryOffersItsTags() {
        try (Registry registry = Registry.start()) {
            String image = TestImages.multiLayer();
            Skopeo.copy("--dest-tls-verify=false", image, registry.ref("team/app:1.0"));
            Skopeo.copy("--dest-tls-verify=false", image, registry.ref("team/app:2.0"));
            Set<String> values = values("pull " + registry.ref("team/app:"));
            assertEquals(Set.of(registry.ref("team/app:1.0"), registry.ref("team/app:2.0")), values);
        }
    }

    @Test
    void anUnreachableRegistryOffersNothing() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertEquals(Set.of(), values("pull docker://127.0.0.1:" + closedPort + "/team/app:"));
    }

    @Test
    void tagsOfARegistryWithAnUntrustedCertificateNeedTlsVerifyFalseOnTheLine() {
        verifyTls = true;
        try (Registry registry = Registry.startWithTls()) {
            Skopeo.copy("--dest-tls-verify=false", TestImages.multiLayer(), registry.ref("team/app:3.0"));
            assertEquals(Set.of(), values("pull " + registry.ref("team/app:")), "the certificate is trusted by nobody");
            assertEquals(Set.of(registry.ref("team/app:3.0")), values("pull --tls-verify=false " + registry.ref("team/app:")));
            assertEquals(Set.of(registry.ref("team/app:3.0")),
                    values("copy --src-tls-verify false " + registry.ref("team/app:")));
        }
    }
}
