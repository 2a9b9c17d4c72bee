package hoist.shell;

import hoist.engine.testing.Command;
import hoist.engine.testing.CuttingProxy;
import hoist.engine.testing.Registry;
import hoist.engine.testing.StartedRegistry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** registries.conf and BUILD_REGISTRY_SOURCES decide where names go, before any byte is sent. */
class RegistriesConfTest {

    @StartedRegistry
    private static Registry registry;

    @TempDir
    Path temp;

    private Path conf(String toml) throws IOException {
        Path file = temp.resolve("registries.conf");
        Files.writeString(file, toml);
        return file;
    }

    private Cli.Run hoist(Path conf, String... args) {
        List<String> all = new ArrayList<>(List.of("--registries-conf", conf.toString()));
        all.addAll(List.of(args));
        return new Cli(temp.resolve("store")).run(all.toArray(String[]::new));
    }

    private static void assertFailedWith(Cli.Run run, String text) {
        assertEquals(1, run.status(), run::toString);
        String last = run.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("Error: ") && last.contains(text), run::toString);
    }

    private void pushDirect(String repositoryAndTag) {
        Cli.Run push = new Cli(temp.resolve("direct")).run("copy", "-q", "--tls-verify=false", TestImages.multiLayer(),
                registry.ref(repositoryAndTag));
        assertEquals(0, push.status(), push::toString);
    }

    @Test
    void aRegistryTableRewritesTheLocationAndMarksItInsecure() throws IOException {
        Path conf = conf("[[registry]]\nprefix = \"example.test/team\"\nlocation = \"" + registry.host()
                + "/rewritten\"\ninsecure = true\n");
        Cli.Run push = hoist(conf, "copy", "-q", TestImages.multiLayer(), "docker://example.test/team/app:1");
        assertEquals(0, push.status(), push::toString);
        String raw = Command.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
                registry.ref("rewritten/app:1")), Map.of());
        assertEquals(Skopeo.rawManifest(TestImages.multiLayer()), raw);
    }

    @Test
    void aBlockedRegistryIsRefusedBeforeAnyByteIsSent() throws IOException {
        int port = Integer.parseInt(registry.host().substring(registry.host().indexOf(':') + 1));
        try (CuttingProxy watch = CuttingProxy.start(port, CuttingProxy.Direction.UPLOAD, Long.MAX_VALUE)) {
            Path conf = conf("[[registry]]\nlocation = \"" + watch.host() + "\"\nblocked = true\n");
            assertFailedWith(hoist(conf, "copy", "-q", "--tls-verify=false", TestImages.multiLayer(),
                    "docker://" + watch.host() + "/blocked/app:1"), "blocked in registries.conf");
            assertFailedWith(hoist(conf, "pull", "-q", "--tls-verify=false", "docker://" + watch.host() + "/blocked/app:1"),
                    "blocked");
            assertEquals(0, watch.uploadedBytes(), "nothing was sent");
        }
    }

    @Test
    void buildRegistrySourcesBlocksAndAllowsBeforeAnyByteIsSent() throws IOException {
        Path conf = conf("");
        String blocked = "{\"blockedRegistries\":[\"" + registry.host() + "\"]}";
        Command.Result refused = runProcess(Map.of("BUILD_REGISTRY_SOURCES", blocked), "--registries-conf", conf.toString(),
                "copy", "-q", "--tls-verify=false", TestImages.multiLayer(), registry.ref("sources/app:1"));
        assertEquals(1, refused.status(), refused.err());
        assertTrue(refused.err().contains("blocked by BUILD_REGISTRY_SOURCES"), refused.err());

        String allowedElsewhere = "{\"allowedRegistries\":[\"quay.io\"]}";
        Command.Result notAllowed = runProcess(Map.of("BUILD_REGISTRY_SOURCES", allowedElsewhere), "--registries-conf",
                conf.toString(), "copy", "-q", "--tls-verify=false", TestImages.multiLayer(), registry.ref("sources/app:1"));
        assertEquals(1, notAllowed.status(), notAllowed.err());
        assertTrue(notAllowed.err().contains("allowedRegistries"), notAllowed.err());

        String insecure = "{\"insecureRegistries\":[\"" + registry.host() + "\"]}";
        Command.Result ok = runProcess(Map.of("BUILD_REGISTRY_SOURCES", insecure), "--registries-conf", conf.toString(),
                "copy", "-q", TestImages.multiLayer(), registry.ref("sources/app:1"));
        assertEquals(0, ok.status(), ok.err());
    }

    private Command.Result runProcess(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--root", temp.resolve("p-store").toString()));
        command.addAll(List.of(args));
        return Command.exec(command, env);
    }

    @Test
    void shortNamesResolveByAliasOrSearchRegistry() throws IOException {
        pushDirect("app:1");
        pushDirect("aliased/thing:2");
        Path conf = conf("unqualified-search-registries = [\"" + registry.host() + "\"]\n"
                + "[aliases]\n\"shortcut\" = \"" + registry.host() + "/aliased/thing\"\n"
                + "[[registry]]\nlocation = \"" + registry.host() + "\"\ninsecure = true\n");
        Cli.Run search = hoist(conf, "pull", "-q", "app:1");
        assertEquals(0, search.status(), search::toString);
        Cli.Run alias = hoist(conf, "pull", "-q", "shortcut:2");
        assertEquals(0, alias.status(), alias::toString);
        String images = hoist(conf, "images").out();
        assertTrue(images.contains(registry.host() + "/app") && images.contains(registry.host() + "/aliased/thing"), images);

        Path ambiguous = conf("unqualified-search-registries = [\"" + registry.host() + "\", \"quay.io\"]\n");
        assertFailedWith(hoist(ambiguous, "pull", "-q", "app:1"), "could come from");
    }

    @Test
    void mirrorsAreReadBeforeTheRegistryItself() throws IOException {
        pushDirect("mirror/app:1");
        Path conf = conf("[[registry]]\nlocation = \"unreachable.invalid:1\"\n"
                + "[[registry.mirror]]\nlocation = \"" + registry.host() + "/mirror\"\ninsecure = true\n");
        Cli.Run pull = hoist(conf, "pull", "-q", "docker://unreachable.invalid:1/app:1");
        assertEquals(0, pull.status(), pull::toString);
        assertEquals(Skopeo.manifest(TestImages.multiLayer()).path("config").path("digest").asText(),
                "sha256:" + pull.out().strip());
    }
}
