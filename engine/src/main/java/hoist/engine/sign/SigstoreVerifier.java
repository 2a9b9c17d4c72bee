package hoist.engine.sign;

import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.Manifest;
import hoist.engine.image.VerifyingInputStream;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import hoist.engine.image.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads the sigstore signatures attached to a registry image (its {@code sha256-HEX.sig}
 * manifest) and checks them against public keys, as a {@code sigstoreSigned} requirement does.
 *
 * @see <a href="https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md">cosign's signature specification</a>
 */
public final class SigstoreVerifier {

    private static final int MAX_PAYLOAD = 4 * 1024 * 1024;

    private SigstoreVerifier() {
    }

    /**
     * The sigstore signatures attached to the manifest {@code manifest} of the registry image
     * {@code image}, whose source is {@code source} (its tags tell whether any are attached);
     * empty when none are.
     */
    public static List<SigstoreSigner.SigstoreSignature> attached(ImageSource source, DockerReference image, Digest manifest,
                                                                  TransportContext context) throws IOException {
        String tag = SigstoreAttachments.tag(manifest);
        if (!source.repositoryTags().contains(tag)) {
            return List.of();
        }
        List<SigstoreSigner.SigstoreSignature> signatures = new ArrayList<>();
        try (ImageSource attachments = Transports.parse("docker://" + image.name() + ":" + tag).openSource(context)) {
            Manifest parsed = attachments.manifest(null).parse();
            if (!(parsed instanceof ImageManifest sigManifest)) {
                return List.of();
            }
            for (Descriptor layer : sigManifest.layers()) {
                String signature = layer.annotations().get(SigstoreSigner.SIGNATURE_ANNOTATION);
                if (!SigstoreSigner.PAYLOAD_MEDIA_TYPE.equals(layer.mediaType()) || signature == null || layer.size() > MAX_PAYLOAD) {
                    continue;
                }
                try (InputStream in = new VerifyingInputStream(attachments.blob(layer), layer.digest(), layer.size(),
                        "sigstore signature " + layer.digest())) {
                    signatures.add(new SigstoreSigner.SigstoreSignature(in.readAllBytes(), signature));
                }
            }
        }
        return signatures;
    }

    /** A public key in PEM ({@code PUBLIC KEY}), as cosign writes it; {@code origin} names it in errors. */
    public static PublicKey publicKey(byte[] pem, String origin) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN PUBLIC KEY-----");
        int end = text.indexOf("-----END PUBLIC KEY-----");
        if (begin < 0 || end < begin) {
            throw new HoistException(origin + ": not a PEM public key");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + "-----BEGIN PUBLIC KEY-----".length(), end));
        for (String algorithm : new String[] {"EC", "Ed25519", "RSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // the next algorithm
            }
        }
        throw new HoistException(origin + ": not an EC, Ed25519 or RSA public key");
    }

    /** Whether {@code signature} is a valid signature of its payload by {@code key}. */
    public static boolean verifies(SigstoreSigner.SigstoreSignature signature, PublicKey key) {
        try {
            Signature verifier = Signature.getInstance(switch (key.getAlgorithm()) {
                case "EC" -> "SHA256withECDSA";
                case "RSA" -> "SHA256withRSA";
                default -> "Ed25519";
            });
            verifier.initVerify(key);
            verifier.update(signature.payload());
            return verifier.verify(Base64.getDecoder().decode(signature.signature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
