package hoist.shell;

import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.ManifestFormat;
import hoist.engine.image.MediaTypes;
import hoist.engine.testing.Command;
import hoist.engine.transport.BlobInfo;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import hoist.engine.testing.Registry;
import hoist.engine.testing.StartedRegistry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pushing to and pulling from a real distribution registry, read back by skopeo. */
class RegistryTest {

    @StartedRegistry
    private static Registry registry;

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    private static String skopeoInspectRaw(String ref) {
        return Command.run(List.of("skopeo", "inspect", "--tls-verify=false", "--raw", ref), Map.of());
    }

    @Test
    void pushedImagesReadBackBySkopeoWithIdenticalDigests() {
        String original = TestImages.multiLayer();
        String target = registry.ref("interop/multi:1");
        ok(hoist("copy", "-q", "--tls-verify=false", original, target));
        assertEquals(Skopeo.rawManifest(original), skopeoInspectRaw(target));
        Path back = temp.resolve("back");
        Command.run(List.of("skopeo", "--insecure-policy", "copy", "-q", "--src-tls-verify=false", target, "oci:" + back + ":x"),
                Map.of());
        assertEquals(Skopeo.layers(original), Skopeo.layers("oci:" + back + ":x"));
    }

    @Test
    void pullsWhatSkopeoPushes() {
        String original = TestImages.multiLayer();
        String target = registry.ref("by-skopeo/multi:2");
        Command.run(List.of("skopeo", "--insecure-policy", "copy", "-q", "--dest-tls-verify=false", original, target), Map.of());
        String id = ok(hoist("pull", "-q", "--tls-verify=false", target)).out().strip();
        assertEquals(Skopeo.manifest(original).path("config").path("digest").asText(), "sha256:" + id);
        assertTrue(ok(hoist("images")).out().contains(registry.host() + "/by-skopeo/multi"));
        ok(hoist("push", "-q", "--tls-verify=false", "by-skopeo/multi:2", registry.ref("from-store/multi:3")));
        assertEquals(Skopeo.rawManifest(original), skopeoInspectRaw(registry.ref("from-store/multi:3")));
    }

    @Test
    void aSecondPushSendsNoBlobBytes() {
        String original = TestImages.multiLayer();
        String target = registry.ref("again/multi:1");
        ok(hoist("copy", "--tls-verify=false", original, target));
        long stored = registry.storedBlobBytes();
        Cli.Run second = ok(hoist("copy", "--tls-verify=false", original, target));
        for (String layer : Skopeo.layers(original)) {
            assertTrue(second.err().contains("Copying blob " + layer + " skipped: already exists"), second::toString);
        }
        assertEquals(stored, registry.storedBlobBytes(), "nothing new reached the registry");
    }

    @Test
    void aPushToAnotherRepositoryMountsInsteadOfUploading() {
        String original = TestImages.multiLayer();
        ok(hoist("copy", "-q", "--tls-verify=false", original, registry.ref("mount/first:1")));
        long stored = registry.storedBlobBytes();
        Cli.Run second = ok(hoist("copy", "--tls-verify=false", original, registry.ref("mount/second:1")));
        for (String layer : Skopeo.layers(original)) {
            assertTrue(second.err().contains("Copying blob " + layer + " mounted from mount/first"), second::toString);
        }
        assertEquals(stored, registry.storedBlobBytes(), "a mount stores no new bytes");
        assertEquals(Skopeo.rawManifest(original), skopeoInspectRaw(registry.ref("mount/second:1")));

        Cli.Run between = ok(new Cli(temp.resolve("fresh-store")).run("copy", "--tls-verify=false",
                registry.ref("mount/second:1"), registry.ref("mount/third:1")));
        assertTrue(between.err().contains("mounted from mount/second"), "a registry source is a place to mount from: "
                + between);
        assertEquals(stored, registry.storedBlobBytes());
    }

    @Test
    void foreignLayersStayOutOfTheRegistryButInTheManifest() throws Exception {
        Path layout = temp.resolve("foreign");
        Digest foreign = writeImageWithForeignLayer(layout);
        Cli.Run push = ok(hoist("copy", "--tls-verify=false", "oci:" + layout + ":f", registry.ref("foreign/app:1")));
        assertTrue(push.err().contains("Skipping foreign layer " + foreign), push::toString);
        String raw = skopeoInspectRaw(registry.ref("foreign/app:1"));
        assertTrue(raw.contains("https://example.invalid/layer.tar.gz") && raw.contains(foreign.toString()), raw);
        java.net.HttpURLConnection blob = (java.net.HttpURLConnection) new java.net.URL("http://" + registry.host()
                + "/v2/foreign/app/blobs/" + foreign).openConnection();
        blob.setRequestMethod("HEAD");
        assertEquals(404, blob.getResponseCode(), "the foreign layer's bytes were not uploaded");
        Cli.Run inspect = hoist("inspect", "--tls-verify=false", "--raw", registry.ref("foreign/app:1"));
        assertEquals(raw, inspect.out().strip());
        Cli.Run copyOfLayer = hoist("copy", "-q", "oci:" + layout + ":f", "oci:" + temp.resolve("layout-copy") + ":f");
        assertEquals(0, copyOfLayer.status(), "a layout takes the foreign layer's bytes: " + copyOfLayer);
        assertTrue(java.nio.file.Files.exists(temp.resolve("layout-copy/blobs/sha256").resolve(foreign.hex())));
    }

    /** An OCI layout whose second layer is non-distributable, named by URL (its bytes are in the layout too). */
    private static Digest writeImageWithForeignLayer(Path layout) throws Exception {
        byte[] plain = tar("foreign.txt", "licensed content\n");
        byte[] own = gzip(tar("own.txt", "own content\n"));
        byte[] foreign = gzip(plain);
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + Digest.sha256(tar("own.txt", "own content\n")) + "\",\"" + Digest.sha256(plain) + "\"]}}";
        byte[] configBytes = config.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Descriptor ownLayer = new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(own), own.length);
        Descriptor foreignLayer = new Descriptor(MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_GZIP, Digest.sha256(foreign),
                foreign.length, List.of("https://example.invalid/layer.tar.gz"), Map.of(), null, null);
        Descriptor configDescriptor = new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(configBytes), configBytes.length);
        ImageManifest manifest = ImageManifest.of(ManifestFormat.OCI, configDescriptor, List.of(ownLayer, foreignLayer), Map.of());
        ImageReference ref = Transports.parse("oci:" + layout + ":f");
        try (ImageDestination destination = ref.openDestination(TransportContext.defaults())) {
            destination.putBlob(new java.io.ByteArrayInputStream(own), BlobInfo.known(ownLayer, BlobInfo.Kind.LAYER));
            destination.putBlob(new java.io.ByteArrayInputStream(foreign), BlobInfo.known(foreignLayer, BlobInfo.Kind.LAYER));
            destination.putBlob(new java.io.ByteArrayInputStream(configBytes), BlobInfo.known(configDescriptor, BlobInfo.Kind.CONFIG));
            destination.putManifest(RawManifest.of(manifest));
            destination.commit();
        }
        return foreignLayer.digest();
    }

    private static byte[] tar(String name, String content) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar =
                     new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes)) {
            byte[] data = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            org.apache.commons.compress.archivers.tar.TarArchiveEntry entry =
                    new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name);
            entry.setSize(data.length);
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] data) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    @Test
    void everyPlatformOfAListIsPushedChildrenFirst() {
        String list = TestImages.multiPlatform();
        String target = registry.ref("lists/platforms:all");
        ok(hoist("copy", "-q", "--all", "--tls-verify=false", list, target));
        assertEquals(Skopeo.rawManifest(list), skopeoInspectRaw(target));
        Command.run(List.of("skopeo", "--insecure-policy", "copy", "-q", "--all", "--src-tls-verify=false", target,
                "oci:" + temp.resolve("all") + ":x"), Map.of());
    }

    @Test
    void recompressedPushesHaveTheSameDigestInEveryRepository() {
        String original = TestImages.multiLayer();
        ok(hoist("copy", "-q", "--tls-verify=false", "--compression-format", "zstd", "--digestfile",
                temp.resolve("digest").toString(), original, registry.ref("fan/a:z"), registry.ref("fan/b:z"),
                "oci:" + temp.resolve("layout") + ":z"));
        String a = skopeoInspectRaw(registry.ref("fan/a:z"));
        assertEquals(a, skopeoInspectRaw(registry.ref("fan/b:z")));
        assertEquals(a, Skopeo.rawManifest("oci:" + temp.resolve("layout") + ":z"));
        assertTrue(a.contains("tar+zstd"), a);
    }

    @Test
    void withoutTlsVerifyOffAPlainHttpRegistryIsAClearError() {
        Cli.Run run = hoist("copy", TestImages.multiLayer(), registry.ref("tls/needed:1"));
        assertEquals(1, run.status(), run::toString);
        String last = run.err().strip().lines().reduce((first, second) -> second).orElse("");
        assertTrue(last.startsWith("Error: ") && last.contains("--tls-verify=false"), run::toString);
        assertFalse(run.err().contains("\tat "), run::toString);
    }

    @Test
    void aMissingTagIsNamedInTheError() {
        Cli.Run run = hoist("inspect", "--tls-verify=false", registry.ref("nothing/here:1"));
        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().contains("manifest unknown") || run.err().contains("NAME_UNKNOWN"), run::toString);
    }
}
