package hoist.engine.sign;

import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPOnePassSignature;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Date;
import java.util.List;

/**
 * A signed OpenPGP message holding a payload, as {@code gpg --sign} writes one and as
 * containers/image stores simple signatures: a one-pass signature packet, the literal data, the
 * signature (optionally inside a compressed data packet when read).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4880#section-11.3">RFC 4880, OpenPGP messages</a>
 */
public final class OpenPgpMessage {

    /** A signature larger than this is not a simple signature; it is refused unread. */
    private static final int MAX_PAYLOAD = 4 * 1024 * 1024;

    /** A verified message: what was signed and the fingerprint (upper-case hex) of the key that signed it. */
    public record Verified(byte[] payload, String signerFingerprint) {
    }

    private OpenPgpMessage() {
    }

    /** Signs {@code payload} with {@code key} (SHA-256), as a binary document; returns the message bytes. */
    public static byte[] sign(GnupgKeyring.SigningKey key, byte[] payload) {
        try {
            PGPPublicKey publicKey = key.publicKey();
            PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(publicKey.getAlgorithm(), HashAlgorithmTags.SHA256), publicKey);
            generator.init(PGPSignature.BINARY_DOCUMENT, key.privateKey());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            Date now = new Date();
            hashed.setSignatureCreationTime(false, now);
            hashed.setIssuerFingerprint(false, publicKey);
            generator.setHashedSubpackets(hashed.generate());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (BCPGOutputStream out = new BCPGOutputStream(bytes)) {
                generator.generateOnePassVersion(false).encode(out);
                PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
                try (OutputStream data = literal.open(out, PGPLiteralData.BINARY, "", payload.length, now)) {
                    data.write(payload);
                }
                generator.update(payload);
                generator.generate().encode(out);
            }
            return bytes.toByteArray();
        } catch (PGPException | IOException e) {
            throw new InvalidSignatureException("cannot sign with key " + key.fingerprint() + ": " + e.getMessage());
        }
    }

    /**
     * Verifies {@code message} against {@code trusted} and returns what it signs.
     *
     * @throws InvalidSignatureException when it is not a signed message, no trusted key made it,
     *                                   or the signature does not verify
     */
    public static Verified verify(byte[] message, List<PGPPublicKeyRing> trusted) {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(message))) {
            PGPObjectFactory factory = new PGPObjectFactory(in, new BcKeyFingerprintCalculator());
            Object next = factory.nextObject();
            if (next instanceof PGPCompressedData compressed) {
                factory = new PGPObjectFactory(compressed.getDataStream(), new BcKeyFingerprintCalculator());
                next = factory.nextObject();
            }
            if (!(next instanceof PGPOnePassSignatureList onePassList) || onePassList.isEmpty()) {
                throw new InvalidSignatureException("not a signed OpenPGP message");
            }
            PGPOnePassSignature onePass = onePassList.get(0);
            PGPPublicKey key = find(trusted, onePass.getKeyID());
            if (key == null) {
                throw new InvalidSignatureException("signed by key " + String.format("%016X", onePass.getKeyID())
                        + ", which is not a trusted key");
            }
            if (!(factory.nextObject() instanceof PGPLiteralData literal)) {
                throw new InvalidSignatureException("a signed OpenPGP message without its data");
            }
            onePass.init(new BcPGPContentVerifierBuilderProvider(), key);
            byte[] payload;
            try (InputStream data = literal.getInputStream()) {
                payload = data.readNBytes(MAX_PAYLOAD + 1);
            }
            if (payload.length > MAX_PAYLOAD) {
                throw new InvalidSignatureException("the signed payload is larger than " + MAX_PAYLOAD + " bytes");
            }
            onePass.update(payload);
            if (!(factory.nextObject() instanceof PGPSignatureList signatures) || signatures.isEmpty()) {
                throw new InvalidSignatureException("a signed OpenPGP message without its signature");
            }
            if (!onePass.verify(signatures.get(0))) {
                throw new InvalidSignatureException("the signature by key " + GnupgKeyring.fingerprint(key) + " does not verify");
            }
            return new Verified(payload, GnupgKeyring.fingerprint(key));
        } catch (IOException | PGPException | RuntimeException e) {
            if (e instanceof InvalidSignatureException invalid) {
                throw invalid;
            }
            throw new InvalidSignatureException("not a valid OpenPGP signature: " + e.getMessage());
        }
    }

    private static PGPPublicKey find(List<PGPPublicKeyRing> rings, long keyId) {
        for (PGPPublicKeyRing ring : rings) {
            PGPPublicKey key = ring.getPublicKey(keyId);
            if (key != null) {
                return key;
            }
        }
        return null;
    }
}
