package hoist.engine.crypt;

import hoist.engine.HoistException;

import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyDataDecryptorFactoryBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyKeyEncryptionMethodGenerator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The {@code pgp} scheme: the private options as an OpenPGP message (AES-256, integrity
 * protected, uncompressed literal data) encrypted to every recipient's encryption key, one
 * message for all.
 *
 * @see <a href="https://github.com/containers/ocicrypt/blob/main/keywrap/pgp/keywrapper_gpg.go">ocicrypt's pgp key wrapper</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4880">RFC 4880 OpenPGP</a>
 */
final class PgpKeyWrap {

    static final String SCHEME = "pgp";

    private PgpKeyWrap() {
    }

    /** An OpenPGP secret key ring collection and the passphrase of its keys (null: none). */
    record SecretKeys(PGPSecretKeyRingCollection rings, char[] passphrase, String file) {
    }

    /** The binary OpenPGP message holding {@code privateOptions} for each recipient key. */
    static byte[] wrap(List<PGPPublicKey> recipients, byte[] privateOptions) {
        try {
            PGPEncryptedDataGenerator generator = new PGPEncryptedDataGenerator(
                    new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true)
                            .setSecureRandom(new SecureRandom()).setProvider(KeyFiles.BC));
            for (PGPPublicKey key : recipients) {
                generator.addMethod(new JcePublicKeyKeyEncryptionMethodGenerator(key).setProvider(KeyFiles.BC));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream encrypted = generator.open(out, new byte[4096])) {
                PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
                try (OutputStream plain = literal.open(encrypted, PGPLiteralData.BINARY, "", privateOptions.length, new Date())) {
                    plain.write(privateOptions);
                }
            }
            return out.toByteArray();
        } catch (PGPException | IOException e) {
            throw new HoistException("pgp: the layer key cannot be wrapped: " + e.getMessage(), e);
        }
    }

    /**
     * The private options from an OpenPGP message, when one of {@code keys} holds the secret key
     * of one of its recipients.
     *
     * @return empty when none does
     * @throws HoistException when the message is not OpenPGP, or a passphrase is missing or wrong
     */
    static Optional<byte[]> unwrap(byte[] packet, List<SecretKeys> keys, List<String> errors) {
        PGPEncryptedDataList list;
        try {
            JcaPGPObjectFactory factory = new JcaPGPObjectFactory(PGPUtil.getDecoderStream(new ByteArrayInputStream(packet)));
            Object first = factory.nextObject();
            list = first instanceof PGPEncryptedDataList l ? l : (PGPEncryptedDataList) factory.nextObject();
        } catch (IOException | RuntimeException e) {
            throw new HoistException("the pgp wrapped key is not an OpenPGP message: " + e.getMessage(), e);
        }
        for (Object item : list) {
            if (!(item instanceof PGPPublicKeyEncryptedData data)) {
                continue;
            }
            for (SecretKeys ring : keys) {
                PGPSecretKey secret = ring.rings().getSecretKey(data.getKeyID());
                if (secret == null) {
                    continue;
                }
                PGPPrivateKey privateKey = privateKey(secret, ring);
                try {
                    return Optional.of(literal(data.getDataStream(
                            new JcePublicKeyDataDecryptorFactoryBuilder().setProvider(KeyFiles.BC).build(privateKey)), data));
                } catch (PGPException | IOException | RuntimeException e) {
                    errors.add("pgp: " + e.getMessage());
                }
            }
        }
        return Optional.empty();
    }

    private static PGPPrivateKey privateKey(PGPSecretKey secret, SecretKeys ring) {
        char[] passphrase = ring.passphrase() == null ? new char[0] : ring.passphrase();
        try {
            return secret.extractPrivateKey(new JcePBESecretKeyDecryptorBuilder().setProvider(KeyFiles.BC).build(passphrase));
        } catch (PGPException e) {
            throw new HoistException(ring.file() + ": " + (ring.passphrase() == null
                    ? "the OpenPGP secret key is protected; give its passphrase as " + ring.file() + ":PASSWORD-FILE"
                    : "wrong passphrase for the OpenPGP secret key"), e);
        }
    }

    private static byte[] literal(InputStream decrypted, PGPPublicKeyEncryptedData data) throws IOException, PGPException {
        Object object = new JcaPGPObjectFactory(decrypted).nextObject();
        if (object instanceof PGPCompressedData compressed) {
            object = new JcaPGPObjectFactory(compressed.getDataStream()).nextObject();
        }
        if (!(object instanceof PGPLiteralData literal)) {
            throw new PGPException("the message holds no literal data");
        }
        byte[] bytes;
        try (InputStream in = literal.getInputStream()) {
            bytes = in.readAllBytes();
        }
        if (data.isIntegrityProtected() && !data.verify()) {
            throw new PGPException("the message failed its integrity check");
        }
        return bytes;
    }

    /** Reads an OpenPGP secret key ring collection, armored or binary; null when the bytes are not one. */
    static PGPSecretKeyRingCollection secretRings(byte[] bytes) {
        try {
            PGPSecretKeyRingCollection rings = new PGPSecretKeyRingCollection(
                    PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes)), new JcaKeyFingerprintCalculator());
            return rings.size() == 0 ? null : rings;
        } catch (IOException | PGPException | RuntimeException e) {
            return null;
        }
    }
}
