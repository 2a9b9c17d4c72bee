package hoist.engine.sign;

import hoist.engine.image.Digest;
import hoist.engine.transport.DockerReference;

import java.time.Instant;

/**
 * Makes simple signatures with one unlocked GnuPG key: the atomic container signature payload,
 * signed as an OpenPGP message, the bytes skopeo stores as {@code signature-N}.
 *
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-signature.5.md">containers-signature(5)</a>
 */
public final class SimpleSigner {

    /** {@code optional.creator} of the signatures hoist makes. */
    public static final String CREATOR = "hoist";

    private final GnupgKeyring.SigningKey key;

    public SimpleSigner(GnupgKeyring.SigningKey key) {
        this.key = key;
    }

    /** The key's fingerprint (upper-case hex). */
    public String fingerprint() {
        return key.fingerprint();
    }

    /** A signature saying the manifest with {@code manifestDigest} is {@code identity}. */
    public byte[] sign(DockerReference identity, Digest manifestDigest) {
        SignaturePayload payload = new SignaturePayload(SignaturePayload.SIMPLE_SIGNING_TYPE, identity.toString(),
                manifestDigest, CREATOR, Instant.now().getEpochSecond());
        return OpenPgpMessage.sign(key, payload.toJson());
    }
}
