package hoist.engine.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.image.ManifestDigest;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageReference;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trust policy ({@code policy.json}): for each image read, the requirements of the most
 * specific scope that names it (by transport, then identity, then namespaces, then the
 * transport's {@code ""} scope, then {@code default}); every requirement must accept the image.
 *
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-policy.json.5.md">containers-policy.json(5)</a>
 */
public final class SignaturePolicy {

    /** One requirement of a scope. */
    sealed interface Requirement {
        /** Null when the image is accepted, else why not. */
        String rejection(DockerReference intended, byte[] manifest, List<byte[]> signatures, List<SigstoreSigner.SigstoreSignature> sigstore);
    }

    record InsecureAcceptAnything() implements Requirement {
        public String rejection(DockerReference intended, byte[] manifest, List<byte[]> signatures, List<SigstoreSigner.SigstoreSignature> sigstore) {
            return null;
        }
    }

    record Reject() implements Requirement {
        public String rejection(DockerReference intended, byte[] manifest, List<byte[]> signatures, List<SigstoreSigner.SigstoreSignature> sigstore) {
            return "the policy rejects every image here (requirement \"reject\")";
        }
    }

    /** A simple signature by one of {@code keys}, of this manifest, for an identity {@code identity} accepts. */
    record SignedBy(String keysFrom, List<PGPPublicKeyRing> keys, IdentityMatch identity) implements Requirement {
        public String rejection(DockerReference intended, byte[] manifest, List<byte[]> signatures, List<SigstoreSigner.SigstoreSignature> sigstore) {
            String last = null;
            for (byte[] signature : signatures) {
                try {
                    OpenPgpMessage.Verified verified = OpenPgpMessage.verify(signature, keys);
                    SignaturePayload payload = SignaturePayload.parse(verified.payload(), SignaturePayload.SIMPLE_SIGNING_TYPE);
                    last = identityRejection(payload, intended, manifest, identity);
                    if (last == null) {
                        return null;
                    }
                } catch (HoistException e) {
                    last = e.getMessage();
                }
            }
            String requirement = "requirement signedBy (" + keysFrom + ")";
            return signatures.isEmpty() ? requirement + ": a signature was required, but the image has none"
                    : requirement + ": no signature accepted; " + last;
        }
    }

    /** A sigstore signature by one of {@code keys}, of this manifest, for an identity {@code identity} accepts. */
    record SigstoreSigned(String keysFrom, List<PublicKey> keys, IdentityMatch identity) implements Requirement {
        public String rejection(DockerReference intended, byte[] manifest, List<byte[]> signatures, List<SigstoreSigner.SigstoreSignature> sigstore) {
            String last = null;
            for (SigstoreSigner.SigstoreSignature signature : sigstore) {
                if (keys.stream().noneMatch(k -> SigstoreVerifier.verifies(signature, k))) {
                    last = "a sigstore signature is not by a trusted key";
                    continue;
                }
                try {
                    SignaturePayload payload = SignaturePayload.parse(signature.payload(), SignaturePayload.SIGSTORE_TYPE);
                    last = identityRejection(payload, intended, manifest, identity);
                    if (last == null) {
                        return null;
                    }
                } catch (HoistException e) {
                    last = e.getMessage();
                }
            }
            String requirement = "requirement sigstoreSigned (" + keysFrom + ")";
            return sigstore.isEmpty() ? requirement + ": a sigstore signature was required, but the image has none"
                    : requirement + ": no signature accepted; " + last;
        }
    }

    /** Null when {@code payload} is for {@code manifest} and an identity {@code identity} accepts, else why not. */
    private static String identityRejection(SignaturePayload payload, DockerReference intended, byte[] manifest, IdentityMatch identity) {
        if (!matchesManifest(payload.manifestDigest(), manifest)) {
            return "a signature is for another manifest (" + payload.manifestDigest() + ")";
        }
        DockerReference signed;
        try {
            signed = DockerReference.parse(payload.dockerReference());
        } catch (HoistException e) {
            return "a signature names an invalid reference \"" + payload.dockerReference() + "\"";
        }
        if (!identity.matches(intended, signed)) {
            return "a signature is for " + signed + ", which does not match " + (intended == null ? "this image" : intended.toString());
        }
        return null;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final List<Requirement> defaults;
    private final Map<String, Map<String, List<Requirement>>> transports;

    private SignaturePolicy(Path file, List<Requirement> defaults, Map<String, Map<String, List<Requirement>>> transports) {
        this.file = file;
        this.defaults = defaults;
        this.transports = transports;
    }

    /**
     * The policy file containers/image reads: {@code explicit} when given, else
     * {@code ~/.config/containers/policy.json} when it exists, else {@code /etc/containers/policy.json}.
     */
    public static Path defaultPath(Path explicit) {
        if (explicit != null) {
            return explicit;
        }
        Path user = Path.of(System.getProperty("user.home"), ".config", "containers", "policy.json");
        return Files.isRegularFile(user) ? user : Path.of("/etc/containers/policy.json");
    }

    /** The policy that accepts anything ({@code --insecure-policy}). */
    public static SignaturePolicy acceptAnything() {
        return new SignaturePolicy(null, List.of(new InsecureAcceptAnything()), Map.of());
    }

    /**
     * Reads and checks a policy file; a missing file is an error, as with podman and skopeo.
     *
     * @throws HoistException naming the file and the field that is wrong
     */
    public static SignaturePolicy load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new HoistException("no signature policy at " + file + " (give one with --signature-policy, "
                    + "or write /etc/containers/policy.json)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new HoistException(file + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new HoistException(file + ": not a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("default") && !name.equals("transports")) {
                throw new HoistException(file + ": unknown field \"" + name + "\"");
            }
        }
        if (!root.has("default")) {
            throw new HoistException(file + ": no \"default\" requirements");
        }
        Path base = file.toAbsolutePath().getParent();
        List<Requirement> defaults = requirements(root.get("default"), base, file + ": default");
        Map<String, Map<String, List<Requirement>>> transports = new LinkedHashMap<>();
        JsonNode transportsNode = root.path("transports");
        for (Iterator<Map.Entry<String, JsonNode>> it = transportsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> transport = it.next();
            Map<String, List<Requirement>> scopes = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> s = transport.getValue().fields(); s.hasNext(); ) {
                Map.Entry<String, JsonNode> scope = s.next();
                scopes.put(scope.getKey(), requirements(scope.getValue(), base,
                        file + ": transports." + transport.getKey() + "[\"" + scope.getKey() + "\"]"));
            }
            transports.put(transport.getKey(), scopes);
        }
        return new SignaturePolicy(file, defaults, transports);
    }

    private static List<Requirement> requirements(JsonNode node, Path base, String where) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new HoistException(where + ": requirements must be a non-empty list");
        }
        List<Requirement> list = new ArrayList<>();
        for (JsonNode requirement : node) {
            String type = requirement.path("type").asText("");
            list.add(switch (type) {
                case "insecureAcceptAnything" -> new InsecureAcceptAnything();
                case "reject" -> new Reject();
                case "signedBy" -> signedBy(requirement, base, where);
                case "sigstoreSigned" -> sigstoreSigned(requirement, base, where);
                default -> throw new HoistException(where + ": unknown requirement type \"" + type + "\"");
            });
        }
        return list;
    }

    private record KeySource(String origin, List<byte[]> contents) {
    }

    private static SignedBy signedBy(JsonNode node, Path base, String where) {
        String keyType = node.path("keyType").asText("");
        if (!keyType.equals("GPGKeys")) {
            throw new HoistException(where + ": signedBy keyType must be GPGKeys, got \"" + keyType + "\"");
        }
        KeySource source = keySource(node, base, where);
        List<PGPPublicKeyRing> keys = new ArrayList<>();
        for (byte[] content : source.contents()) {
            keys.addAll(PublicKeys.read(content, source.origin()));
        }
        return new SignedBy(source.origin(), keys, IdentityMatch.parse(node.get("signedIdentity"), where));
    }

    private static SigstoreSigned sigstoreSigned(JsonNode node, Path base, String where) {
        if (node.has("fulcio") || node.has("rekorPublicKeyPath") || node.has("rekorPublicKeyData")) {
            throw new HoistException(where + ": sigstoreSigned with Fulcio or Rekor is not supported by hoist; use keyPath, keyPaths or keyData");
        }
        KeySource source = keySource(node, base, where);
        List<PublicKey> keys = new ArrayList<>();
        for (byte[] content : source.contents()) {
            keys.add(SigstoreVerifier.publicKey(content, source.origin()));
        }
        return new SigstoreSigned(source.origin(), keys, IdentityMatch.parse(node.get("signedIdentity"), where));
    }

    private static KeySource keySource(JsonNode node, Path base, String where) {
        int given = (node.has("keyPath") ? 1 : 0) + (node.has("keyPaths") ? 1 : 0) + (node.has("keyData") ? 1 : 0);
        if (given != 1) {
            throw new HoistException(where + ": " + node.path("type").asText() + " needs exactly one of keyPath, keyPaths and keyData");
        }
        try {
            if (node.has("keyData")) {
                byte[] data = Base64.getDecoder().decode(node.get("keyData").asText());
                return new KeySource("keyData", List.of(data));
            }
            List<Path> paths = new ArrayList<>();
            if (node.has("keyPath")) {
                paths.add(base.resolve(node.get("keyPath").asText()));
            } else {
                node.get("keyPaths").forEach(p -> paths.add(base.resolve(p.asText())));
            }
            List<byte[]> contents = new ArrayList<>();
            for (Path path : paths) {
                contents.add(Files.readAllBytes(path));
            }
            return new KeySource(String.join(", ", paths.stream().map(Path::toString).toList()), contents);
        } catch (IllegalArgumentException e) {
            throw new HoistException(where + ": keyData is not base64");
        } catch (IOException e) {
            throw new HoistException(where + ": " + HoistException.describe(e));
        }
    }

    /**
     * Checks an image read from {@code ref}, whose manifest is {@code manifest} and signatures
     * {@code signatures}.
     *
     * @throws HoistException naming the image, this policy file and the requirement that failed
     */
    public void check(ImageReference ref, byte[] manifest, List<byte[]> signatures) {
        check(ref, manifest, signatures, List.of());
    }

    /** Whether the requirements for {@code ref} look at sigstore signatures (which are then worth reading). */
    public boolean wantsSigstore(ImageReference ref) {
        return requirementsFor(ref).stream().anyMatch(r -> r instanceof SigstoreSigned);
    }

    /**
     * As {@link #check(ImageReference, byte[], List)}, with the image's sigstore signatures.
     *
     * @throws HoistException naming the image, this policy file and the requirement that failed
     */
    public void check(ImageReference ref, byte[] manifest, List<byte[]> signatures, List<SigstoreSigner.SigstoreSignature> sigstore) {
        check(ref, null, manifest, signatures, sigstore);
    }

    /**
     * As {@link #check(ImageReference, byte[], List, List)} for the instance {@code instance} of
     * the list {@code ref} names (null: the image {@code ref} names itself), named so in the error.
     *
     * @throws HoistException naming the image (and instance), this policy file and the requirement that failed
     */
    public void check(ImageReference ref, Digest instance, byte[] manifest, List<byte[]> signatures,
                      List<SigstoreSigner.SigstoreSignature> sigstore) {
        DockerReference intended = ref.dockerReference().map(r -> "docker".equals(ref.transport().name()) ? r.withDefaultTag() : r)
                .orElse(null);
        for (Requirement requirement : requirementsFor(ref)) {
            String rejection = requirement.rejection(intended, manifest, signatures, sigstore);
            if (rejection != null) {
                throw new HoistException(ref.text() + (instance == null ? "" : " (the list's instance " + instance + ")")
                        + " is rejected by the signature policy" + (file == null ? "" : " " + file)
                        + ": " + rejection);
            }
        }
    }

    private List<Requirement> requirementsFor(ImageReference ref) {
        Map<String, List<Requirement>> scopes = transports.get(ref.transport().name());
        if (scopes != null) {
            for (String scope : scopesOf(ref)) {
                List<Requirement> found = scopes.get(scope);
                if (found != null) {
                    return found;
                }
            }
            if (scopes.containsKey("")) {
                return scopes.get("");
            }
        }
        return defaults;
    }

    /** The scopes an image falls in, most specific first (the {@code ""} scope excepted). */
    private static List<String> scopesOf(ImageReference ref) {
        if ("docker".equals(ref.transport().name()) && ref.dockerReference().isPresent()) {
            return DockerScopes.of(ref.dockerReference().get().withDefaultTag());
        }
        List<String> scopes = new ArrayList<>();
        String details = ref.details();
        scopes.add(details);
        if (details.startsWith("/")) {
            int colon = details.indexOf(':');
            String path = colon < 0 ? details : details.substring(0, colon);
            for (Path p = Path.of(path); p != null && p.getNameCount() > 0; p = p.getParent()) {
                if (!scopes.contains(p.toString())) {
                    scopes.add(p.toString());
                }
            }
        }
        return scopes;
    }

    private static boolean matchesManifest(Digest signed, byte[] manifest) {
        if (signed.algorithm().equals("sha256")) {
            return ManifestDigest.of(manifest).equals(signed);
        }
        return signed.matches(manifest);
    }
}
