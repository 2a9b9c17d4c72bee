package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;
import hoist.engine.image.MediaTypes;
import hoist.engine.testing.Command;
import hoist.engine.testing.Registry;
import hoist.engine.testing.StartedRegistry;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The format and compression asked for decide the layers, judged as they will be written: schema2
 * with gzip asked for recompresses zstd layers; a destination named by digest (or
 * {@code --preserve-digests}) gets the manifest as read or nothing; a registry refusing OCI
 * manifests gets schema2; containers.conf's compression is push's and copy's default.
 */
class ManifestFormatChoiceTest {

    @StartedRegistry
    private static Registry registry;

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    private static Cli.Run failed(Cli.Run run, String... phrases) {
        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().startsWith("Error: ") && run.err().strip().lines().count() == 1, run::toString);
        for (String phrase : phrases) {
            assertTrue(run.err().contains(phrase), phrase + " in " + run);
        }
        return run;
    }

    private static JsonNode manifest(String ref) throws IOException {
        return Json.read(raw(ref).getBytes(StandardCharsets.UTF_8));
    }

    private static String raw(String ref) {
        return Command.run("skopeo", "inspect", "--tls-verify=false", "--raw", ref);
    }

    private static List<String> diffIds(String ref) throws IOException {
        JsonNode config = Json.read(Command.run("skopeo", "inspect", "--tls-verify=false", "--config", "--raw", ref)
                .getBytes(StandardCharsets.UTF_8));
        List<String> ids = new ArrayList<>();
        config.path("rootfs").path("diff_ids").forEach(d -> ids.add(d.asText()));
        return ids;
    }


    @Test
    void schema2WithGzipAskedRecompressesZstdLayers() throws IOException {
        String zstd = OciLayouts.write(temp.resolve("zstd"), "zstd", 1);
        List<String> expected = List.of(OciLayouts.diffId(1).toString());
        String pushed = registry.ref("fmt/zstd-to-v2s2:1");
        ok(hoist("copy", "-q", "--tls-verify=false", "--format", "v2s2", "--compression-format", "gzip", zstd, pushed));
        String dir = "dir:" + temp.resolve("v2s2-dir");
        ok(hoist("copy", "-q", "--format", "v2s2", "--compression-format", "gzip", zstd, dir));
        for (String ref : List.of(pushed, dir)) {
            JsonNode m = manifest(ref);
            assertEquals(MediaTypes.DOCKER_MANIFEST, m.path("mediaType").asText(), ref);
            assertEquals(MediaTypes.DOCKER_LAYER_GZIP, m.path("layers").get(0).path("mediaType").asText(), ref);
            assertEquals(expected, diffIds(ref), ref);
        }
        assertEquals(expected, SkopeoDecompression.layerDigests(temp, pushed, "v2s2"));

        failed(hoist("copy", "-q", "--tls-verify=false", "--format", "v2s2", zstd, registry.ref("fmt/zstd-refused:1")),
                "zstd-compressed, which a Docker schema2 manifest cannot describe", "--compression-format gzip");
    }

    @Test
    void destinationNamedByDigestReceivesExactlyThatManifest() throws IOException {
        String plain = OciLayouts.write(temp.resolve("plain"), "none", 2);
        Digest digest = Digest.sha256(Files.readAllBytes(blobOf(temp.resolve("plain"))));
        long before = registry.storedBlobBytes();
        failed(hoist("copy", "-q", "--tls-verify=false", "--format", "v2s2", plain, registry.ref("fmt/by-digest@" + digest)),
                "converted from oci to v2s2", "named by digest");
        failed(hoist("copy", "-q", "--tls-verify=false", "--compression-format", "zstd", plain,
                registry.ref("fmt/by-digest@" + digest)), "would be compressed with zstd", "named by digest");
        Digest other = Digest.sha256("another manifest");
        failed(hoist("copy", "-q", "--tls-verify=false", plain, registry.ref("fmt/by-digest@" + other)),
                "named by digest " + other, "the manifest copied is " + digest);
        assertEquals(before, registry.storedBlobBytes(), "nothing was sent before the copy was refused");

        // uncompressed layers stay uncompressed: gzipping them would change the manifest
        ok(hoist("copy", "-q", "--tls-verify=false", plain, registry.ref("fmt/by-digest@" + digest)));
        assertEquals(digest, Digest.sha256(raw(registry.ref("fmt/by-digest@" + digest))));
        assertEquals(MediaTypes.OCI_LAYER, manifest(registry.ref("fmt/by-digest@" + digest)).path("layers").get(0)
                .path("mediaType").asText());
    }

    @Test
    void preserveDigestsKeepsTheManifestOrRefuses() throws IOException {
        String plain = OciLayouts.write(temp.resolve("plain"), "none", 3);
        Digest digest = Digest.sha256(Files.readAllBytes(blobOf(temp.resolve("plain"))));
        long before = registry.storedBlobBytes();
        failed(hoist("copy", "-q", "--tls-verify=false", "--preserve-digests", "--compression-format", "gzip", plain,
                registry.ref("fmt/preserved:1")), "would be compressed with gzip", "--preserve-digests");
        failed(hoist("push", "-q", "--tls-verify=false", "--preserve-digests", "--format", "v2s2", plain,
                registry.ref("fmt/preserved:1")), "converted from oci to v2s2", "--preserve-digests");
        assertEquals(before, registry.storedBlobBytes(), "nothing was sent before the copy was refused");

        ok(hoist("push", "-q", "--tls-verify=false", "--preserve-digests", plain, registry.ref("fmt/preserved:1")));
        assertEquals(digest, Digest.sha256(raw(registry.ref("fmt/preserved:1"))));
        ok(hoist("-e", "copy '" + plain + "', '" + registry.ref("fmt/preserved:dsl") + "', tlsVerify: false, "
                + "preserveDigests: true, quiet: true"));
        assertEquals(digest, Digest.sha256(raw(registry.ref("fmt/preserved:dsl"))));
        // without it, the same push gzips the layers, as podman does
        ok(hoist("push", "-q", "--tls-verify=false", plain, registry.ref("fmt/preserved:2")));
        assertEquals(MediaTypes.OCI_LAYER_GZIP, manifest(registry.ref("fmt/preserved:2")).path("layers").get(0)
                .path("mediaType").asText());
    }

    @Test
    void registryRefusingOciManifestsGetsSchema2AndSaysSo() throws IOException {
        String gzip = OciLayouts.write(temp.resolve("gzip"), "gzip", 4);
        try (OciRefusingProxy proxy = new OciRefusingProxy(Integer.parseInt(registry.host().substring(registry.host().indexOf(':') + 1)))) {
            Cli.Run run = ok(hoist("copy", "--tls-verify=false", gzip, "docker://" + proxy.host() + "/fmt/fallback:1"));
            List<String> said = run.err().lines().filter(l -> l.contains("refused the manifest type")).toList();
            assertEquals(1, said.size(), run::toString);
            assertTrue(said.get(0).contains(MediaTypes.OCI_MANIFEST) && said.get(0).contains("MANIFEST_INVALID")
                    && said.get(0).endsWith("writing " + MediaTypes.DOCKER_MANIFEST + " instead"), said.get(0));
            JsonNode m = manifest(registry.ref("fmt/fallback:1"));
            assertEquals(MediaTypes.DOCKER_MANIFEST, m.path("mediaType").asText());
            assertEquals(MediaTypes.DOCKER_LAYER_GZIP, m.path("layers").get(0).path("mediaType").asText());
            assertEquals(List.of(OciLayouts.diffId(4).toString()), SkopeoDecompression.layerDigests(temp, registry.ref("fmt/fallback:1"), "fallback"));

            // a list: its OCI instances become schema2, then the index a Docker list
            ok(hoist("copy", "-q", "--all", "--tls-verify=false", TestImages.multiPlatform(),
                    "docker://" + proxy.host() + "/fmt/fallback-list:1"));
            JsonNode list = manifest(registry.ref("fmt/fallback-list:1"));
            assertEquals(MediaTypes.DOCKER_LIST, list.path("mediaType").asText());
            assertEquals(2, list.path("manifests").size());
            list.path("manifests").forEach(e -> assertEquals(MediaTypes.DOCKER_MANIFEST, e.path("mediaType").asText()));

            // asked for OCI, nothing else is tried
            int refusedBefore = proxy.refused();
            failed(hoist("copy", "-q", "--tls-verify=false", "--format", "oci", gzip,
                    "docker://" + proxy.host() + "/fmt/asked-oci:1"), "MANIFEST_INVALID");
            assertEquals(refusedBefore + 1, proxy.refused());
            // zstd layers cannot be schema2: the refusal is reported with why
            String zstd = OciLayouts.write(temp.resolve("zstd"), "zstd", 5);
            failed(hoist("copy", "-q", "--tls-verify=false", zstd, "docker://" + proxy.host() + "/fmt/zstd:1"),
                    "MANIFEST_INVALID", "v2s2 cannot be tried instead");
        }
    }

    @Test
    void containersConfCompressionIsPushAndCopyDefault() throws IOException {
        String plain = OciLayouts.write(temp.resolve("plain"), "none", 6);
        Path conf = temp.resolve("containers.conf");
        Files.writeString(conf, "[engine]\ncompression_format = \"zstd\"\ncompression_level = 7\n");
        Map<String, String> env = Map.of("CONTAINERS_CONF", conf.toString());
        for (String command : List.of("push", "copy")) {
            Command.Result run = hoistProcess(env, command, "-q", "--tls-verify=false", plain, registry.ref("fmt/conf:" + command));
            assertEquals(0, run.status(), run.err());
            assertEquals(MediaTypes.OCI_LAYER_ZSTD, manifest(registry.ref("fmt/conf:" + command)).path("layers").get(0)
                    .path("mediaType").asText(), command);
        }
        Command.Result flag = hoistProcess(env, "copy", "-q", "--tls-verify=false", "--compression-format", "gzip", plain,
                registry.ref("fmt/conf:flag"));
        assertEquals(0, flag.status(), flag.err());
        assertEquals(MediaTypes.OCI_LAYER_GZIP, manifest(registry.ref("fmt/conf:flag")).path("layers").get(0)
                .path("mediaType").asText(), "the command line wins");
        assertEquals(List.of(OciLayouts.diffId(6).toString()), SkopeoDecompression.layerDigests(temp, registry.ref("fmt/conf:copy"), "conf"));
        Command.Result preserved = hoistProcess(env, "copy", "-q", "--tls-verify=false", "--preserve-digests", plain,
                registry.ref("fmt/conf:preserved"));
        assertEquals(0, preserved.status(), "a default does not make --preserve-digests refuse: " + preserved.err());
        assertEquals(MediaTypes.OCI_LAYER, manifest(registry.ref("fmt/conf:preserved")).path("layers").get(0)
                .path("mediaType").asText());
    }

    /** hoist as a process of its own (containers.conf is read from the process's environment). */
    private Command.Result hoistProcess(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--root", temp.resolve("store").toString()));
        command.addAll(List.of(args));
        return Command.exec(command, env);
    }

    /** The manifest blob of a layout written by {@link OciLayouts}: the one index.json names. */
    private static Path blobOf(Path layout) throws IOException {
        JsonNode index = Json.read(Files.readAllBytes(layout.resolve("index.json")));
        return layout.resolve("blobs/sha256").resolve(index.path("manifests").get(0).path("digest").asText().substring(7));
    }
}
