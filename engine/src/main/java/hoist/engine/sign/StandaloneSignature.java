package hoist.engine.sign;

import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.image.ManifestDigest;
import hoist.engine.transport.DockerReference;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Simple signatures of manifest files, made and checked without an image around them, as skopeo's
 * {@code standalone-sign} and {@code standalone-verify} do: the signature claims the manifest's
 * digest and the Docker reference exactly as the user typed it.
 *
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-signature.5.md">containers-signature(5)</a>
 */
public final class StandaloneSignature {

    /**
     * A signature that verified.
     *
     * @param fingerprint    the upper-case hex fingerprint of the key that made it
     * @param manifestDigest the manifest digest it signs ({@code critical.image.docker-manifest-digest})
     */
    public record Verified(String fingerprint, Digest manifestDigest) {
    }

    private StandaloneSignature() {
    }

    /**
     * Signs {@code manifest} (a manifest file's bytes; a signed schema 1 manifest is digested
     * without its signatures) as {@code dockerReference} with {@code key}.
     *
     * @return the OpenPGP message bytes, as skopeo writes them with {@code -o}
     */
    public static byte[] sign(byte[] manifest, String dockerReference, GnupgKeyring.SigningKey key) {
        SignaturePayload payload = new SignaturePayload(SignaturePayload.SIMPLE_SIGNING_TYPE, dockerReference,
                ManifestDigest.of(manifest), SimpleSigner.CREATOR, Instant.now().getEpochSecond());
        return OpenPgpMessage.sign(key, payload.toJson());
    }

    /**
     * Checks that {@code signature} was made by one of {@code keys} whose fingerprint is in
     * {@code fingerprints}, and signs {@code manifest} as {@code expectedReference} (both
     * references normalized, as {@code docker.io/library/} is added to a short name; no tag is added).
     *
     * @param fingerprints accepted signers, hex fingerprints, case and spaces ignored
     * @throws InvalidSignatureException saying what does not match
     * @throws HoistException            (usage) when {@code expectedReference} is not a reference
     */
    public static Verified verify(byte[] signature, byte[] manifest, String expectedReference, List<String> fingerprints,
                                  List<PGPPublicKeyRing> keys) {
        DockerReference expected = DockerReference.parse(expectedReference);
        OpenPgpMessage.Verified message = OpenPgpMessage.verify(signature, keys);
        List<String> accepted = fingerprints.stream().map(StandaloneSignature::normalized).toList();
        if (!accepted.contains(message.signerFingerprint())) {
            throw new InvalidSignatureException("the signature is by key " + message.signerFingerprint()
                    + ", which is not the expected " + String.join(", ", fingerprints));
        }
        SignaturePayload payload = SignaturePayload.parse(message.payload(), SignaturePayload.SIMPLE_SIGNING_TYPE);
        Digest actual = ManifestDigest.of(manifest);
        boolean matches = payload.manifestDigest().algorithm().equals("sha256") ? payload.manifestDigest().equals(actual)
                : payload.manifestDigest().matches(manifest);
        if (!matches) {
            throw new InvalidSignatureException("the signature is for manifest digest " + payload.manifestDigest()
                    + ", and this manifest's is " + actual);
        }
        DockerReference signed;
        try {
            signed = DockerReference.parse(payload.dockerReference());
        } catch (HoistException e) {
            throw new InvalidSignatureException("the signature names an invalid Docker reference \"" + payload.dockerReference() + "\"");
        }
        if (!signed.toString().equals(expected.toString())) {
            throw new InvalidSignatureException("the signature is for Docker reference \"" + payload.dockerReference()
                    + "\", not \"" + expectedReference + "\"");
        }
        return new Verified(message.signerFingerprint(), payload.manifestDigest());
    }

    /** The fingerprints (upper-case hex) of every key, primary and subkey, in {@code rings}: what {@code any} accepts. */
    public static List<String> fingerprints(List<PGPPublicKeyRing> rings) {
        List<String> all = new ArrayList<>();
        for (PGPPublicKeyRing ring : rings) {
            for (Iterator<PGPPublicKey> keys = ring.getPublicKeys(); keys.hasNext(); ) {
                all.add(GnupgKeyring.fingerprint(keys.next()));
            }
        }
        return all;
    }

    private static String normalized(String fingerprint) {
        String hex = fingerprint.replace(" ", "").toUpperCase(Locale.ROOT);
        return hex.startsWith("0X") ? hex.substring(2) : hex;
    }
}
