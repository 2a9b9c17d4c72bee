package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hoist.engine.testing.Command;
import hoist.engine.testing.CosignKeys;
import hoist.engine.testing.Registry;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --sign-by-sigstore-private-key} and {@code --sign-by-sigstore}: keys in cosign's format
 * sign what hoist pushes, attached at the {@code sha256-HEX.sig} tag as cosign lays it out; openssl
 * verifies the signature, and hoist's {@code sigstoreSigned} policy accepts the image and refuses
 * unsigned ones and other keys. (Debian's skopeo is built with sigstore disabled, and cosign is not
 * packaged, so neither can be the verifier here.)
 */
class SigstoreSigningTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        return new Cli(temp.resolve("store")).run(args);
    }

    private static void ok(Cli.Run run) {
        assertEquals(0, run.status(), run::toString);
    }

    private Path registriesD(Registry registry) throws Exception {
        Path dir = Files.createDirectories(temp.resolve("registries.d"));
        Files.writeString(dir.resolve("sigstore.yaml"), "docker:\n  " + registry.host() + ":\n    use-sigstore-attachments: true\n");
        return dir;
    }

    private Path sigstorePolicy(Path publicKey) throws Exception {
        return Files.writeString(temp.resolve("policy.json"), "{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"docker\": {\"\": "
                + "[{\"type\": \"sigstoreSigned\", \"keyPath\": \"" + publicKey + "\", \"signedIdentity\": {\"type\": \"matchRepository\"}}]},"
                + "\"oci\": {\"\": [{\"type\": \"insecureAcceptAnything\"}]}}}");
    }

    @Test
    void skopeoAcceptsWhatACosignKeySignedAndTheSigTagIsCosignsLayout() throws Exception {
        CosignKeys.Files3 keys = CosignKeys.create(temp.resolve("keys"), "sigstore pass");
        Path passphrase = Files.writeString(temp.resolve("pass"), "sigstore pass\n");
        try (Registry registry = Registry.start()) {
            Path registriesD = registriesD(registry);
            String signed = registry.ref("team/app:1");
            ok(hoist("copy", "-q", "--tls-verify=false", "--registries.d", registriesD.toString(),
                    "--sign-by-sigstore-private-key", keys.privateKey().toString(), "--sign-passphrase-file", passphrase.toString(),
                    TestImages.multiLayer(), signed));
            String digest = Command.run("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}", signed).strip();

            String sigTag = registry.ref("team/app:" + digest.replace(':', '-') + ".sig");
            JsonNode manifest = JSON.readTree(Command.run("skopeo", "inspect", "--tls-verify=false", "--raw", sigTag));
            assertEquals("application/vnd.oci.image.manifest.v1+json", manifest.path("mediaType").asText());
            assertEquals("application/vnd.oci.image.config.v1+json", manifest.path("config").path("mediaType").asText());
            assertEquals(1, manifest.path("layers").size());
            JsonNode layer = manifest.path("layers").get(0);
            assertEquals("application/vnd.dev.cosign.simplesigning.v1+json", layer.path("mediaType").asText());
            assertFalse(layer.path("annotations").path("dev.cosignproject.cosign/signature").asText().isEmpty());
            Path pulled = temp.resolve("sig-dir");
            Command.run("skopeo", "--insecure-policy", "copy", "-q", "--src-tls-verify=false", sigTag, "dir:" + pulled);
            JsonNode payload = JSON.readTree(Files.readString(pulled.resolve(layer.path("digest").asText().substring(7))));
            assertEquals(digest, payload.path("critical").path("image").path("docker-manifest-digest").asText());
            assertEquals(signed.substring("docker://".length()), payload.path("critical").path("identity").path("docker-reference").asText());
            assertEquals("cosign container image signature", payload.path("critical").path("type").asText());

            assertOpensslVerifies(keys.publicKey(), pulled.resolve(layer.path("digest").asText().substring(7)),
                    layer.path("annotations").path("dev.cosignproject.cosign/signature").asText());

            Path policy = sigstorePolicy(keys.publicKey());
            Path accepted = temp.resolve("accepted");
            ok(hoist("copy", "-q", "--tls-verify=false", "--registries.d", registriesD.toString(), "--signature-policy", policy.toString(),
                    signed, "dir:" + accepted));
            // the attached signature travels with the image, stored as containers/image stores it in dir:
            assertTrue(Files.readString(accepted.resolve("signature-1"), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .startsWith("\0sigstore-json\n"), "signature-1 is the sigstore signature");

            String unsigned = registry.ref("team/app:2");
            ok(hoist("copy", "-q", "--tls-verify=false", "--format", "oci", TestImages.multiPlatform(), unsigned));
            Path refusedAt = temp.resolve("refused");
            Cli.Run refused = hoist("copy", "-q", "--tls-verify=false", "--registries.d", registriesD.toString(),
                    "--signature-policy", policy.toString(), unsigned, "oci:" + refusedAt + ":x");
            assertEquals(1, refused.status(), refused::toString);
            assertEquals("Error: " + unsigned + " is rejected by the signature policy " + policy + ": requirement sigstoreSigned ("
                    + keys.publicKey() + "): a sigstore signature was required, but the image has none", refused.err().strip());
            assertFalse(Files.exists(refusedAt), "nothing written");

            CosignKeys.Files3 other = CosignKeys.create(temp.resolve("other"), "x");
            Cli.Run otherKey = hoist("copy", "-q", "--tls-verify=false", "--registries.d", registriesD.toString(),
                    "--signature-policy", sigstorePolicy(other.publicKey()).toString(), signed, "oci:" + refusedAt + ":x");
            assertEquals(1, otherKey.status(), otherKey::toString);
            assertTrue(otherKey.err().strip().endsWith("no signature accepted; a sigstore signature is not by a trusted key"), otherKey::toString);
            assertFalse(Files.exists(refusedAt), "nothing written");
        }
    }

    /** openssl, an independent implementation, verifies the base64 ECDSA {@code signature} of {@code payload}. */
    private void assertOpensslVerifies(Path publicKey, Path payload, String signature) throws Exception {
        Path der = Files.write(temp.resolve("signature.der"), java.util.Base64.getDecoder().decode(signature));
        String out = Command.run("openssl", "dgst", "-sha256", "-verify", publicKey.toString(), "-signature", der.toString(), payload.toString());
        assertEquals("Verified OK", out.strip());
    }

    @Test
    void aParameterFileWithAPlainKeySignsAndOneNamingFulcioIsRefused() throws Exception {
        CosignKeys.Files3 keys = CosignKeys.create(temp.resolve("keys"), "unused");
        try (Registry registry = Registry.start()) {
            Path registriesD = registriesD(registry);
            Path params = Files.writeString(temp.resolve("params.yaml"), "privateKeyFile: " + keys.plainKey() + "\n");
            String signed = registry.ref("team/plain:1");
            ok(hoist("copy", "-q", "--tls-verify=false", "--registries.d", registriesD.toString(), "--sign-by-sigstore", params.toString(),
                    TestImages.multiLayer(), signed));
            ok(hoist("copy", "-q", "--tls-verify=false", "--registries.d", registriesD.toString(), "--signature-policy",
                    sigstorePolicy(keys.publicKey()).toString(), "--remove-signatures", signed, "oci:" + temp.resolve("accepted") + ":x"));

            Path fulcio = Files.writeString(temp.resolve("fulcio.yaml"), "fulcio:\n  fulcioURL: https://fulcio.example\n  oidcMode: interactive\n"
                    + "rekorURL: https://rekor.example\n");
            Cli.Run refused = hoist("copy", "-q", "--tls-verify=false", "--registries.d", registriesD.toString(), "--sign-by-sigstore",
                    fulcio.toString(), TestImages.multiLayer(), registry.ref("team/plain:2"));
            assertEquals(1, refused.status(), refused::toString);
            assertEquals("Error: " + fulcio + ": keyless signing with Fulcio and uploads to Rekor are not supported by hoist "
                    + "(it does not contact sigstore's services); sign with privateKeyFile alone", refused.err().strip());

            Cli.Run noAttachments = hoist("copy", "-q", "--tls-verify=false", "--sign-by-sigstore", params.toString(),
                    "--registries.d", temp.resolve("empty").toString(), TestImages.multiLayer(), registry.ref("team/plain:3"));
            assertEquals(1, noAttachments.status(), noAttachments::toString);
            assertTrue(noAttachments.err().contains("use-sigstore-attachments: true"), noAttachments::toString);
            Command.Result absent = Command.exec(List.of("skopeo", "inspect", "--tls-verify=false", "--raw", registry.ref("team/plain:3")), Map.of());
            assertNotEquals(0, absent.status(), "nothing pushed");
        }
    }

    @Test
    void aWrongPassphraseForACosignKeyIsOneLine() throws Exception {
        CosignKeys.Files3 keys = CosignKeys.create(temp.resolve("keys"), "right");
        Path wrong = Files.writeString(temp.resolve("wrong"), "wrong\n");
        Cli.Run run = hoist("copy", "-q", "--sign-by-sigstore-private-key", keys.privateKey().toString(), "--sign-passphrase-file",
                wrong.toString(), TestImages.multiLayer(), "docker://127.0.0.1:1/x:1");
        assertEquals(1, run.status(), run::toString);
        assertEquals("Error: wrong passphrase for the sigstore private key " + keys.privateKey(), run.err().strip());
    }
}
