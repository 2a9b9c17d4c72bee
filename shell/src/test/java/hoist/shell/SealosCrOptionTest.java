package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hoist.engine.image.Digest;
import hoist.engine.testing.Command;
import hoist.engine.testing.KubeApiServer;
import hoist.engine.testing.Registry;
import hoist.engine.testing.Skopeo;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sealos's {@code push --cr-option}: the image's {@code imagehub.sealos.io/v1} {@code Image}
 * resource written to the API server of the kubeconfig's current context. No Kubernetes can run
 * here, so {@link KubeApiServer} stands in for the API server; the registry is the real one.
 */
class SealosCrOptionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLLECTION = "/apis/imagehub.sealos.io/v1/images";
    private static final String KUBE_TOKEN = "kube-token-of-the-current-context";
    private static final String SEALOS_TOKEN = "token-of-sealos-own-kubeconfig";

    @TempDir
    static Path shared;

    private static Registry registry;
    private static KubeApiServer api;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() {
        registry = Registry.start();
        api = KubeApiServer.start(shared, COLLECTION, Set.of(KUBE_TOKEN, SEALOS_TOKEN));
    }

    @AfterAll
    static void stop() {
        registry.close();
        api.close();
    }

    /** The image: what sealos images carry, over two layers (the second replaces the README, whiteouts a file). */
    private record Layout(String reference, Digest configDigest, long size) {
    }

    private static byte[] tar(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                if (file.getKey().endsWith("/")) {
                    tar.putArchiveEntry(entry);
                } else {
                    entry.setSize(content.length);
                    tar.putArchiveEntry(entry);
                    tar.write(content);
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(plain);
        }
        return bytes.toByteArray();
    }

    private static String blob(Path layout, byte[] content) throws IOException {
        Digest digest = Digest.sha256(content);
        Path file = layout.resolve("blobs/sha256/" + digest.hex());
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return digest.toString();
    }

    private static Layout sealosImage(Path layout) throws IOException {
        String crYaml = """
                apiVersion: imagehub.sealos.io/v1
                kind: Image
                metadata:
                  name: to-be-replaced
                  labels:
                    keep.example/label: kept
                spec:
                  name: placeholder/placeholder:0
                  detail:
                    keywords: [database, operator]
                    description: A database for the tests
                    icon: https://example.com/icon.svg
                    url: https://example.com
                    actions:
                      install: {name: install, actionType: yaml}
                """;
        byte[] first = tar(new java.util.LinkedHashMap<>(Map.of("metadata/", "", "metadata/config.yaml", crYaml,
                "README.md", "old docs", "metadata/stale.yaml", "gone")));
        byte[] second = tar(new java.util.LinkedHashMap<>(Map.of("./README.md", "# app\n\nThe docs of the newest layer.\n",
                "metadata/.wh.stale.yaml", "")));
        Files.createDirectories(layout);
        String l1 = blob(layout, gzip(first));
        String l2 = blob(layout, gzip(second));
        byte[] config = """
                {"architecture":"arm64","os":"linux","created":"2024-05-01T10:00:00Z","config":{},
                 "rootfs":{"type":"layers","diff_ids":["%s","%s"]}}""".formatted(Digest.sha256(first), Digest.sha256(second))
                .getBytes(StandardCharsets.UTF_8);
        String configDigest = blob(layout, config);
        byte[] manifest = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
                 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},
                 "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d},
                           {"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d}]}"""
                .formatted(configDigest, config.length, l1, Files.size(layout.resolve("blobs/sha256/" + l1.substring(7))),
                        l2, Files.size(layout.resolve("blobs/sha256/" + l2.substring(7)))).getBytes(StandardCharsets.UTF_8);
        String manifestDigest = blob(layout, manifest);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), """
                {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s",
                 "size":%d,"annotations":{"org.opencontainers.image.ref.name":"db"}}]}""".formatted(manifestDigest, manifest.length));
        return new Layout("oci:" + layout + ":db", Digest.parse(configDigest),
                first.length + second.length + config.length + manifest.length);
    }

    private List<KubeApiServer.Request> requestsSince(int start) {
        List<KubeApiServer.Request> all = api.requests();
        return all.subList(start, all.size());
    }

    private static String methods(List<KubeApiServer.Request> requests) {
        return String.join(" ", requests.stream().map(r -> r.method() + " " + r.path()).toList());
    }

    @Test
    void eachCrOptionWritesTheImagesResourceAsSealosDoes() throws IOException {
        Layout image = sealosImage(temp.resolve("layout"));
        Path kubeconfig = temp.resolve("kubeconfig");
        Files.writeString(kubeconfig, api.kubeconfig(KUBE_TOKEN));
        Path auth = temp.resolve("auth.json");
        Files.writeString(auth, "{}");
        // sealos login keeps a kubeconfig per registry user; user "sealos" has one
        Path sealosConfig = temp.resolve("home/.sealos/" + registry.host() + "/sealos/config");
        Files.createDirectories(sealosConfig.getParent());
        Files.writeString(sealosConfig, api.kubeconfig(SEALOS_TOKEN));
        Path script = temp.resolve("pushes.groovy");
        Files.writeString(script, """
                def (image, app, other, viaSealos) = args
                mark 'auto, no credentials'
                push image, to: app, tlsVerify: false, quiet: true
                mark 'auto, credentials, no sealos kubeconfig'
                push image, to: app, tlsVerify: false, quiet: true, creds: 'ci:pw'
                mark 'yes'
                push image, to: app, tlsVerify: false, quiet: true, crOption: 'yes'
                mark 'yes again'
                push image, to: app, tlsVerify: false, crOption: 'yes', progress: 'plain'
                mark 'only'
                push image, to: other, tlsVerify: false, quiet: true, crOption: 'only'
                mark 'no'
                push image, to: app, tlsVerify: false, quiet: true, creds: 'ci:pw', crOption: 'no'
                mark 'sealos kubeconfig'
                push image, to: viaSealos, tlsVerify: false, quiet: true, creds: 'sealos:pw'
                def mark(String what) { println "${what}: " + new URL(System.getenv('COUNT_URL')).text }
                """);
        // the script asks the test how many requests the API server has seen after each push
        com.sun.net.httpserver.HttpServer counter = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        counter.createContext("/", exchange -> {
            byte[] n = String.valueOf(api.requests().size()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, n.length);
            exchange.getResponseBody().write(n);
            exchange.close();
        });
        counter.start();
        Cli.Run run;
        try {
            run = new HoistProcess(temp.resolve("store"), Map.of("KUBECONFIG", kubeconfig.toString(),
                    "HOME", temp.resolve("home").toString(), "REGISTRY_AUTH_FILE", auth.toString(),
                    "COUNT_URL", "http://127.0.0.1:" + counter.getAddress().getPort() + "/"))
                    .run(script.toString(), image.reference(), registry.ref("team/db:1"), registry.ref("team/never:2"),
                            registry.ref("labring/db:3"));
        } finally {
            counter.stop(0);
        }
        assertEquals(0, run.status(), run::toString);
        Map<String, Integer> marks = new java.util.HashMap<>();
        run.out().lines().forEach(line -> marks.put(line.substring(0, line.indexOf(':')),
                Integer.parseInt(line.substring(line.indexOf(':') + 2))));
        List<KubeApiServer.Request> all = api.requests();

        // auto without registry credentials, or with credentials but no kubeconfig of sealos's for that
        // user: nothing sent, though KUBECONFIG names a context
        assertEquals(marks.get("auto, no credentials"), marks.get("yes"), methods(all));
        // yes: created in KUBECONFIG's current context
        List<KubeApiServer.Request> created = all.subList(marks.get("yes"), marks.get("yes again"));
        assertEquals("POST " + COLLECTION, methods(created));
        assertEquals("Bearer " + KUBE_TOKEN, created.get(0).authorization());
        // yes again: it exists, so read for its resourceVersion and replaced
        List<KubeApiServer.Request> updated = all.subList(marks.get("yes again"), marks.get("only"));
        assertEquals("POST " + COLLECTION + " GET " + COLLECTION + "/team.db.1 PUT " + COLLECTION + "/team.db.1",
                methods(updated));
        assertEquals("1", updated.get(2).body().path("metadata").path("resourceVersion").asText());
        assertTrue(run.err().contains("Updated image custom resource team.db.1 at " + api.url()), run::toString);
        // only: the resource, and no image in the registry
        List<KubeApiServer.Request> only = all.subList(marks.get("only"), marks.get("no"));
        assertEquals("POST " + COLLECTION, methods(only));
        assertEquals("team.never.2", only.get(0).body().path("metadata").path("name").asText());
        Command.Result inspect = Command.exec(List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
                registry.ref("team/never:2")), Map.of());
        assertNotEquals(0, inspect.status(), "--cr-option only pushes nothing: " + inspect);
        // no: nothing
        assertEquals(marks.get("no"), marks.get("sealos kubeconfig"), methods(all));
        // a registry user with sealos's own kubeconfig: that one's context
        List<KubeApiServer.Request> sealos = all.subList(marks.get("sealos kubeconfig"), all.size());
        assertEquals("POST " + COLLECTION, methods(sealos));
        assertEquals("Bearer " + SEALOS_TOKEN, sealos.get(0).authorization());

        // what sealos writes: the image's own Image object, named after the destination, with its details
        JsonNode resource = api.object("team.db.1");
        assertEquals("imagehub.sealos.io/v1", resource.path("apiVersion").asText());
        assertEquals("Image", resource.path("kind").asText());
        assertEquals("team.db.1", resource.path("metadata").path("name").asText());
        assertEquals("kept", resource.path("metadata").path("labels").path("keep.example/label").asText());
        assertEquals("team/db:1", resource.path("spec").path("name").asText());
        JsonNode detail = resource.path("spec").path("detail");
        assertEquals("# app\n\nThe docs of the newest layer.\n", detail.path("docs").asText());
        assertEquals(image.configDigest().hex(), detail.path("ID").asText());
        assertEquals("arm64", detail.path("arch").asText());
        assertEquals(image.size(), detail.path("size").asLong());
        assertEquals("2024-05-01T10:00:00Z", detail.path("creatTime").asText());
        assertEquals(JSON.readTree("[\"database\",\"operator\"]"), detail.path("keywords"));
        assertEquals("A database for the tests", detail.path("description").asText());
        assertFalse(detail.has("actions"), "sealos drops the actions an image declares: " + resource);
        // and the image itself was pushed as it is
        String pushed = Skopeo.rawManifest(image.reference());
        assertEquals(pushed, Command.run(List.of("skopeo", "inspect", "--raw",
                "--tls-verify=false", registry.ref("team/db:1")), Map.of()));

        // beyond sealos, the same document travels with the image as its referrer: once, though pushed twice
        // (distribution 2.8 has no referrers API, so the sha256-HEX tag lists it)
        Digest subject = Digest.sha256(pushed);
        JsonNode index = JSON.readTree(Command.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
                registry.ref("team/db:sha256-" + subject.hex())), Map.of()));
        assertEquals(1, index.path("manifests").size(), index::toString);
        JsonNode entry = index.path("manifests").path(0);
        assertEquals("application/vnd.sealos.imagehub.image.v1+json", entry.path("artifactType").asText());
        JsonNode artifact = JSON.readTree(get("/v2/team/db/manifests/" + entry.path("digest").asText()));
        assertEquals(subject.toString(), artifact.path("subject").path("digest").asText());
        JsonNode document = JSON.readTree(get("/v2/team/db/blobs/" + artifact.path("layers").path(0).path("digest").asText()));
        assertEquals("team/db:1", document.path("spec").path("name").asText());
        assertEquals(image.configDigest().hex(), document.path("spec").path("detail").path("ID").asText());
        assertFalse(document.path("metadata").has("resourceVersion"), "the document is the image's, not a version of it");
    }

    /** The body of a GET on the test registry, as text. */
    private static String get(String path) throws IOException {
        java.net.HttpURLConnection connection = (java.net.HttpURLConnection)
                new java.net.URL("http://" + registry.host() + path).openConnection();
        connection.setRequestProperty("Accept", "application/vnd.oci.image.manifest.v1+json");
        try (var in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }

    @Test
    void crOptionYesWithAKubeconfigWithoutCurrentContextFailsBeforePushing() throws IOException {
        Layout image = sealosImage(temp.resolve("layout"));
        Path kubeconfig = temp.resolve("kubeconfig");
        Files.writeString(kubeconfig, api.kubeconfig(KUBE_TOKEN).replace("current-context: test", "current-context: \"\""));
        Cli.Run run = new HoistProcess(temp.resolve("store"), Map.of("KUBECONFIG", kubeconfig.toString(),
                "HOME", temp.toString())).run("push", "-q", "--tls-verify=false", "--cr-option", "yes",
                image.reference(), registry.ref("team/refused:1"));
        assertEquals(1, run.status(), run::toString);
        assertEquals(List.of("Error: the kubeconfig " + kubeconfig + " has no current context (current-context); "
                + "choose one with kubectl config use-context"), run.err().strip().lines().toList());
        Command.Result inspect = Command.exec(List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
                registry.ref("team/refused:1")), Map.of());
        assertNotEquals(0, inspect.status(), "nothing pushed: " + inspect);
    }

    @Test
    void aCrOptionThatCannotWorkIsAUsageError() throws IOException {
        Layout image = sealosImage(temp.resolve("layout"));
        Cli cli = new Cli(temp.resolve("store"));
        Cli.Run unknown = cli.run("push", "--cr-option", "maybe", image.reference(), registry.ref("team/x:1"));
        assertEquals(2, unknown.status(), unknown::toString);
        assertTrue(unknown.err().strip().lines().anyMatch(l -> l.startsWith("Error: ") && l.contains("unknown --cr-option \"maybe\"")),
                unknown::toString);
        Cli.Run notRegistry = cli.run("push", "--cr-option", "only", image.reference(), "oci:" + temp.resolve("out") + ":x");
        assertEquals(2, notRegistry.status(), notRegistry::toString);
        assertTrue(notRegistry.err().contains("is not a registry"), notRegistry::toString);
        assertFalse(Files.exists(temp.resolve("out")));
    }
}
