package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.Json;
import hoist.engine.image.Manifest;
import hoist.engine.image.ManifestFormat;
import hoist.engine.image.ManifestList;
import hoist.engine.image.MediaTypes;
import hoist.engine.image.ReferrerTags;
import hoist.engine.referrers.Referrers;
import hoist.engine.testing.Command;
import hoist.engine.testing.Registry;
import hoist.engine.testing.StartedRegistry;
import hoist.engine.testing.TestImages;
import hoist.engine.transport.BlobInfo;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static hoist.shell.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --referrers}: a signed image with an SBOM, an attestation (OCI 1.1 referrers) and a
 * signature of the SBOM (a referrer of a referrer), and a cosign {@code .sig} tag, travels with
 * them registry -> oci layout -> registry. The distribution registry here (2.8) has no referrers
 * API: it answers {@code GET /v2/NAME/referrers/DIGEST} with 404, so hoist reads and writes the
 * referrers tag schema's index there; the API path runs against {@link ReferrersApiRegistry}, an
 * in-test registry that offers it and answers {@code OCI-Subject}.
 */
class ReferrersTest {

    private static final String SBOM_TYPE = "application/spdx+json";
    private static final String ATTESTATION_TYPE = "application/vnd.in-toto+json";
    private static final String SIGNATURE_TYPE = "application/vnd.dev.cosign.artifact.sig.v1+json";

    @StartedRegistry
    private static Registry registry;

    @TempDir
    Path temp;

    private final TransportContext context = TransportContext.defaults()
            .withRegistry(TransportContext.defaults().registry().withTlsVerify(false));

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    /** What was attached to the image: digests of the manifests, and of the image itself. */
    private record Attached(Digest image, Digest sbom, Digest attestation, Digest sbomSignature, Digest cosignSignature,
                            Digest stray) {
    }

    /**
     * Pushes the test image to {@code ref} and attaches, as referrers, an SBOM, an attestation and
     * a signature of the SBOM, a cosign {@code .sig} tag, and a stray artifact attached to another
     * manifest yet listed in the image's referrers index (a stale listing).
     */
    private Attached signedImageWithSbom(String ref) throws IOException {
        ok(hoist("copy", "-q", "--tls-verify=false", TestImages.multiLayer(), ref));
        ImageReference image = Transports.parse(ref);
        RawManifest top;
        try (ImageSource source = image.openSource(context)) {
            top = source.manifest(null);
        }
        Descriptor subject = new Descriptor(MediaTypes.OCI_MANIFEST, top.digest(), top.bytes().length);
        ImageManifest sbom = attach(image, subject, SBOM_TYPE, "{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"app\"}");
        ImageManifest attestation = attach(image, subject, ATTESTATION_TYPE,
                "{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\"https://slsa.dev/provenance/v1\"}");
        ImageManifest sbomSignature = attach(image, new Descriptor(sbom.mediaType(), sbom.digest(), sbom.raw().length),
                SIGNATURE_TYPE, "{\"critical\":{\"image\":{\"docker-manifest-digest\":\"" + sbom.digest() + "\"}}}");
        Digest elsewhere = Digest.sha256("another manifest");
        ImageManifest stray = attach(image, new Descriptor(MediaTypes.OCI_MANIFEST, elsewhere, 100), SBOM_TYPE,
                "{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"stray\"}");
        String indexTag = ReferrerTags.fallbackTag(top.digest());
        ManifestList index;
        try (ImageSource source = image.openSource(context)) {
            index = (ManifestList) source.taggedManifest(indexTag).orElseThrow().parse();
        }
        put(withTag(ref, indexTag), ReferrerTags.withReferrer(index, ReferrerTags.describe(stray)));
        Digest cosign = cosignSignature(ref, top.digest());
        return new Attached(top.digest(), sbom.digest(), attestation.digest(), sbomSignature.digest(), cosign, stray.digest());
    }

    private ImageManifest attach(ImageReference image, Descriptor subject, String type, String document) throws IOException {
        byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
        Descriptor layer = new Descriptor(type, Digest.sha256(bytes), bytes.length);
        ImageManifest artifact = ImageManifest.artifact(subject, type, List.of(layer),
                Map.of("org.opencontainers.image.created", "2026-11-29T00:00:00Z"));
        assertEquals(artifact.digest(), Referrers.attach(image, context, artifact,
                Map.of(layer.digest(), () -> new ByteArrayInputStream(bytes))));
        return artifact;
    }

    /** A cosign signature manifest at {@code sha256-HEX.sig}, as cosign lays it out. */
    private Digest cosignSignature(String ref, Digest signed) throws IOException {
        byte[] payload = ("{\"critical\":{\"identity\":{\"docker-reference\":\"app\"},\"image\":{\"docker-manifest-digest\":\""
                + signed + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}").getBytes(StandardCharsets.UTF_8);
        byte[] config = "{\"architecture\":\"\",\"os\":\"\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                .getBytes(StandardCharsets.UTF_8);
        try (ImageDestination destination = Transports.parse(withTag(ref, ReferrerTags.cosignTag(signed, "sig")))
                .openDestination(context)) {
            Descriptor layer = destination.putBlob(new ByteArrayInputStream(payload), BlobInfo.known(
                    new Descriptor("application/vnd.dev.cosign.simplesigning.v1+json", Digest.sha256(payload), payload.length),
                    BlobInfo.Kind.LAYER)).withAnnotations(Map.of("dev.cosignproject.cosign/signature", "MEUCIQ=="));
            Descriptor configDescriptor = destination.putBlob(new ByteArrayInputStream(config), BlobInfo.known(
                    new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length), BlobInfo.Kind.CONFIG));
            ImageManifest manifest = ImageManifest.of(ManifestFormat.OCI, configDescriptor, List.of(layer), Map.of());
            destination.putManifest(RawManifest.of(manifest));
            destination.commit();
            return manifest.digest();
        }
    }

    private void put(String ref, Manifest manifest) throws IOException {
        try (ImageDestination destination = Transports.parse(ref).openDestination(context)) {
            destination.putManifest(RawManifest.of(manifest));
            destination.commit();
        }
    }

    private static String withTag(String ref, String tag) {
        return ref.substring(0, ref.lastIndexOf(':')) + ":" + tag;
    }

    /** The digests the referrers tag schema's index of {@code subject} lists in {@code repository}. */
    private Set<Digest> fallbackIndex(String repository, Digest subject) throws IOException {
        try (ImageSource source = Transports.parse(repository + ":1").openSource(context)) {
            ManifestList index = (ManifestList) source.taggedManifest(ReferrerTags.fallbackTag(subject)).orElseThrow().parse();
            return digests(index.manifests());
        }
    }

    private static Set<Digest> digests(List<Descriptor> descriptors) {
        Set<Digest> set = new HashSet<>();
        descriptors.forEach(d -> set.add(d.digest()));
        return set;
    }

    /** The manifest's bytes in the registry, as skopeo reads them. */
    private static byte[] raw(String ref) {
        return Command.run("skopeo", "inspect", "--tls-verify=false", "--raw", ref).getBytes(StandardCharsets.UTF_8);
    }

    private static Digest subjectOf(byte[] manifest) throws IOException {
        return Digest.parse(Json.read(manifest).path("subject").path("digest").asText());
    }

    @Test
    void referrersTravelFromRegistryThroughLayoutToRegistry() throws IOException {
        String source = registry.ref("referrers/src:1");
        Attached attached = signedImageWithSbom(source);
        Path layout = temp.resolve("layout");
        ok(hoist("copy", "-q", "--tls-verify=false", "--referrers", source, "oci:" + layout + ":app"));

        JsonNode index = Json.read(Files.readAllBytes(layout.resolve("index.json")));
        Map<Digest, String> types = new java.util.HashMap<>();
        Set<String> names = new HashSet<>();
        for (JsonNode entry : index.path("manifests")) {
            types.put(Digest.parse(entry.path("digest").asText()), entry.path("artifactType").asText(null));
            names.add(entry.path("annotations").path("org.opencontainers.image.ref.name").asText(null));
        }
        assertEquals(SBOM_TYPE, types.get(attached.sbom()), index::toString);
        assertEquals(ATTESTATION_TYPE, types.get(attached.attestation()), index::toString);
        assertEquals(SIGNATURE_TYPE, types.get(attached.sbomSignature()), index::toString);
        assertTrue(names.contains(ReferrerTags.cosignTag(attached.image(), "sig")), index::toString);
        assertFalse(types.containsKey(attached.stray()), "a referrer of another manifest stays behind: " + index);
        assertEquals(attached.image(), Digest.sha256(ok(hoist("inspect", "--raw", "oci:" + layout)).out().strip()),
                "the layout's one image is found without a REF");

        String destination = registry.ref("referrers/dst:1");
        ok(hoist("copy", "-q", "--tls-verify=false", "--referrers", "oci:" + layout + ":app", destination));
        String repository = destination.substring(0, destination.lastIndexOf(':'));
        for (Digest artifact : List.of(attached.sbom(), attached.attestation(), attached.sbomSignature(), attached.cosignSignature())) {
            byte[] copied = raw(repository + "@" + artifact);
            assertArrayEquals(raw(source.substring(0, source.lastIndexOf(':')) + "@" + artifact), copied,
                    artifact + " arrives byte for byte");
        }
        assertEquals(attached.image(), subjectOf(raw(repository + "@" + attached.sbom())));
        assertEquals(attached.image(), subjectOf(raw(repository + "@" + attached.attestation())));
        assertEquals(attached.sbom(), subjectOf(raw(repository + "@" + attached.sbomSignature())));
        assertEquals(Set.of(attached.sbom(), attached.attestation()), fallbackIndex(repository, attached.image()));
        assertEquals(Set.of(attached.sbomSignature()), fallbackIndex(repository, attached.sbom()));
        assertEquals(attached.cosignSignature(), Digest.sha256(raw(repository + ":" + ReferrerTags.cosignTag(attached.image(), "sig"))));
        assertEquals(1, Command.exec(List.of("skopeo", "inspect", "--tls-verify=false", "--raw", repository + "@" + attached.stray()),
                Map.of()).status(), "the stray referrer is not copied");
    }

    @Test
    void withoutReferrersNothingAttachedIsCopied() throws IOException {
        String source = registry.ref("referrers/plain-src:1");
        signedImageWithSbom(source);
        ok(hoist("copy", "-q", "--tls-verify=false", source, registry.ref("referrers/plain-dst:1")));
        assertEquals("1", ok(hoist("list-tags", "--tls-verify=false", registry.ref("referrers/plain-dst"))).out()
                .replaceFirst("(?s).*\"Tags\"\\s*:\\s*\\[\\s*\"([^\"]*)\"\\s*].*", "$1"));
        ok(hoist("copy", "-q", "--tls-verify=false", "--referrers", "--remove-signatures", source,
                registry.ref("referrers/unsigned:1")));
        String unsigned = registry.ref("referrers/unsigned");
        try (ImageSource read = Transports.parse(unsigned + ":1").openSource(context)) {
            Digest image = read.manifest(null).digest();
            List<Descriptor> kept = read.referrers(image, null);
            assertEquals(List.of(SBOM_TYPE, ATTESTATION_TYPE), kept.stream().map(Descriptor::artifactType).toList(),
                    "--remove-signatures keeps the SBOM and the attestation");
            assertTrue(read.referrers(kept.get(0).digest(), null).isEmpty(), "the SBOM's signature stays behind");
            assertTrue(read.taggedManifest(ReferrerTags.cosignTag(image, "sig")).isEmpty(), "the .sig tag stays behind");
        }
        Path layout = temp.resolve("plain");
        ok(hoist("copy", "-q", "--tls-verify=false", source, "oci:" + layout + ":app"));
        assertEquals(1, Json.read(Files.readAllBytes(layout.resolve("index.json"))).path("manifests").size());
    }

    @Test
    void theReferrersApiIsReadAndWrittenWhereTheRegistryOffersIt() throws IOException {
        String source = registry.ref("referrers/api-src:1");
        Attached attached = signedImageWithSbom(source);
        try (ReferrersApiRegistry api = new ReferrersApiRegistry()) {
            String destination = "docker://" + api.host() + "/app:1";
            ok(hoist("copy", "-q", "--tls-verify=false", "--referrers", source, destination));
            assertFalse(api.tags("app").contains(ReferrerTags.fallbackTag(attached.image())),
                    "a registry that answers OCI-Subject keeps its own list: " + api.tags("app"));
            assertTrue(api.tags("app").contains(ReferrerTags.cosignTag(attached.image(), "sig")), api.tags("app")::toString);
            try (ImageSource read = Transports.parse(destination).openSource(context)) {
                assertEquals(Set.of(attached.sbom(), attached.attestation()), digests(read.referrers(attached.image(), null)));
                assertEquals(List.of(attached.sbom()), read.referrers(attached.image(), SBOM_TYPE).stream().map(Descriptor::digest).toList());
                assertEquals(Set.of(attached.sbomSignature()), digests(read.referrers(attached.sbom(), null)));
            }
            int asked = api.referrerQueries();
            Path layout = temp.resolve("from-api");
            ok(hoist("copy", "-q", "--tls-verify=false", "--referrers", destination, "oci:" + layout + ":app"));
            assertTrue(api.referrerQueries() > asked, "read through the referrers API");
            JsonNode index = Json.read(Files.readAllBytes(layout.resolve("index.json")));
            Set<Digest> entries = new HashSet<>();
            index.path("manifests").forEach(e -> entries.add(Digest.parse(e.path("digest").asText())));
            assertEquals(Set.of(attached.image(), attached.sbom(), attached.attestation(), attached.sbomSignature(),
                    attached.cosignSignature()), entries);
        }
        try (ImageSource read = Transports.parse(source).openSource(context)) {
            assertEquals(List.of(attached.attestation()), read.referrers(attached.image(), ATTESTATION_TYPE).stream()
                    .map(Descriptor::digest).toList(), "the artifactType filter on the referrers tag schema");
        }
    }

    @Test
    void aCopyThatWouldChangeTheSubjectOrCannotKeepReferrersFailsWithOneLine() throws IOException {
        String source = registry.ref("referrers/err-src:1");
        signedImageWithSbom(source);
        Cli.Run converted = hoist("copy", "-q", "--tls-verify=false", "--referrers", "--format", "v2s2", source,
                registry.ref("referrers/err-dst:1"));
        assertEquals(1, converted.status(), converted::toString);
        assertTrue(converted.err().startsWith("Error: ") && converted.err().strip().lines().count() == 1, converted::toString);
        assertTrue(converted.err().contains("referrers"), converted::toString);
        assertThrows(HoistException.class, () -> {
            try (ImageSource ignored = Transports.parse(registry.ref("referrers/err-dst:1")).openSource(context)) {
                ignored.manifest(null);
            }
        }, "nothing is tagged at the destination");

        Path dir = temp.resolve("dir");
        Cli.Run refused = hoist("copy", "-q", "--tls-verify=false", "--referrers", source, "dir:" + dir);
        assertEquals(1, refused.status(), refused::toString);
        assertTrue(refused.err().startsWith("Error: ") && refused.err().strip().lines().count() == 1, refused::toString);
        assertTrue(refused.err().contains("does not keep referrers"), refused::toString);
        assertFalse(Files.exists(dir.resolve("manifest.json")), "nothing written to the dir");
    }

    @Test
    void inspectShowsWhatIsAttachedToEachManifestAndScriptsReadIt() throws IOException {
        String source = registry.ref("referrers/inspect:1");
        Attached attached = signedImageWithSbom(source);
        String tree = ok(hoist("inspect", "--tree", "--no-trunc", "--tls-verify=false", source)).out();
        List<String> lines = tree.lines().toList();
        int sbom = indexOf(lines, "referrer " + attached.sbom() + "  " + SBOM_TYPE);
        int signature = indexOf(lines, "referrer " + attached.sbomSignature() + "  " + SIGNATURE_TYPE);
        assertTrue(signature > sbom && indent(lines.get(signature)) > indent(lines.get(sbom)),
                "the SBOM's signature is drawn under the SBOM:\n" + tree);
        assertTrue(indexOf(lines, "referrer " + attached.attestation() + "  " + ATTESTATION_TYPE) > 0, tree);
        assertTrue(indexOf(lines, "attached " + ReferrerTags.cosignTag(attached.image(), "sig") + "  "
                + attached.cosignSignature()) > 0, tree);
        assertFalse(tree.contains(attached.stray().toString()), tree);

        Cli.Run script = ok(hoist("-e", "def image = inspect '" + source + "', tlsVerify: false\n"
                + "println image.referrers.collect { it.artifactType ?: it.tag }.sort().join(',')\n"
                + "println image.referrers.find { it.artifactType == '" + SBOM_TYPE + "' }.referrers*.digest.join(',')"));
        assertEquals(List.of(String.join(",", List.of(ATTESTATION_TYPE, SBOM_TYPE, ReferrerTags.cosignTag(attached.image(), "sig"))
                        .stream().sorted().toList()), attached.sbomSignature().toString()),
                script.out().strip().lines().toList(), script::toString);
    }

    @Test
    void everyInstanceOfAListTakesItsReferrersWithAll() throws IOException {
        String source = registry.ref("referrers/list-src:1");
        ok(hoist("copy", "-q", "--all", "--tls-verify=false", TestImages.multiPlatform(), source));
        ImageReference list = Transports.parse(source);
        ManifestList index;
        try (ImageSource read = list.openSource(context)) {
            index = (ManifestList) read.manifest(null).parse();
        }
        Descriptor arm = index.manifests().get(1);
        ImageManifest onList = attach(list, new Descriptor(index.mediaType(), index.digest(), index.raw().length), SBOM_TYPE,
                "{\"name\":\"the list\"}");
        ImageManifest onInstance = attach(list, new Descriptor(arm.mediaType(), arm.digest(), arm.size()), SBOM_TYPE,
                "{\"name\":\"arm64\"}");
        String destination = registry.ref("referrers/list-dst:1");
        ok(hoist("-e", "copy '" + source + "', '" + destination + "', all: true, referrers: true, tlsVerify: false, quiet: true"));
        String repository = destination.substring(0, destination.lastIndexOf(':'));
        assertEquals(Set.of(onList.digest()), fallbackIndex(repository, index.digest()));
        assertEquals(Set.of(onInstance.digest()), fallbackIndex(repository, arm.digest()));
    }

    @Test
    void referrersArePulledIntoTheLocalStoreAndPushedFromIt() throws IOException {
        String source = registry.ref("referrers/local-src:1");
        Attached attached = signedImageWithSbom(source);
        ok(hoist("pull", "-q", "--tls-verify=false", "--referrers", source));
        String local = source.substring("docker://".length());
        String tree = ok(hoist("inspect", "--tree", "--no-trunc", local)).out();
        assertTrue(tree.contains("referrer " + attached.sbomSignature()), tree);
        assertTrue(tree.contains("attached " + ReferrerTags.cosignTag(attached.image(), "sig")), tree);

        String destination = registry.ref("referrers/local-dst:1");
        ok(hoist("push", "-q", "--tls-verify=false", "--referrers", local, destination));
        String repository = destination.substring(0, destination.lastIndexOf(':'));
        assertEquals(Set.of(attached.sbom(), attached.attestation()), fallbackIndex(repository, attached.image()));
        assertEquals(Set.of(attached.sbomSignature()), fallbackIndex(repository, attached.sbom()));
        assertEquals(attached.cosignSignature(), Digest.sha256(raw(repository + ":" + ReferrerTags.cosignTag(attached.image(), "sig"))));

        ok(hoist("rmi", local));
        Path store = temp.resolve("store");
        assertEquals(0, Json.read(Files.readAllBytes(store.resolve("referrers.json"))).path("referrers").size(),
                "what was attached to a removed image goes with it");
        assertFalse(Files.exists(store.resolve("blobs/sha256/" + attached.sbom().hex())));
    }

    private static int indexOf(List<String> lines, String fragment) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i;
            }
        }
        return -1;
    }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && !Character.isLetterOrDigit(line.charAt(i))) {
            i++;
        }
        return i;
    }
}
