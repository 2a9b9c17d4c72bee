package hoist.engine.sign;

import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.transport.DockerReference;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

/**
 * Makes sigstore signatures as cosign does with a key of its own (no Fulcio certificate, no Rekor
 * entry): the payload is the signature JSON with {@code critical.type} "cosign container image
 * signature", signed with the private key (ECDSA with SHA-256 for EC keys); the signature is
 * carried base64-encoded in the {@link #SIGNATURE_ANNOTATION} annotation of the payload's layer.
 *
 * @see <a href="https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md">cosign's signature specification</a>
 */
public final class SigstoreSigner {

    /** Media type of the payload layer in a {@code .sig} manifest. */
    public static final String PAYLOAD_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    /** Annotation of the payload layer holding the base64 signature. */
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";

    /**
     * One sigstore signature.
     *
     * @param payload   the signed JSON, stored as the layer
     * @param signature the base64 signature of {@code payload}
     */
    public record SigstoreSignature(byte[] payload, String signature) {
    }

    private final PrivateKey key;

    public SigstoreSigner(PrivateKey key) {
        this.key = key;
    }

    /** A signature saying the manifest with {@code manifestDigest} is {@code identity}. */
    public SigstoreSignature sign(DockerReference identity, Digest manifestDigest) {
        byte[] payload = new SignaturePayload(SignaturePayload.SIGSTORE_TYPE, identity.toString(), manifestDigest,
                SimpleSigner.CREATOR, Instant.now().getEpochSecond()).toJson();
        try {
            Signature signer = Signature.getInstance(switch (key.getAlgorithm()) {
                case "EC" -> "SHA256withECDSA";
                case "RSA" -> "SHA256withRSA";
                case "Ed25519", "EdDSA" -> "Ed25519";
                default -> throw new HoistException("cannot sign with a " + key.getAlgorithm() + " sigstore key");
            });
            signer.initSign(key);
            signer.update(payload);
            return new SigstoreSignature(payload, Base64.getEncoder().encodeToString(signer.sign()));
        } catch (GeneralSecurityException e) {
            throw new HoistException("cannot sign with the sigstore key: " + e.getMessage());
        }
    }
}
