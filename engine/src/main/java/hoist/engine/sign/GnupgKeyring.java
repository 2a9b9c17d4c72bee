package hoist.engine.sign;

import hoist.engine.HoistException;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.gpg.KeyGripCalculator;
import org.bouncycastle.gpg.PGPSecretKeyParser;
import org.bouncycastle.gpg.keybox.KeyBlob;
import org.bouncycastle.gpg.keybox.PublicKeyRingBlob;
import org.bouncycastle.gpg.keybox.bc.BcKeyBox;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.PGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcePBEProtectionRemoverFactory;
import org.bouncycastle.util.encoders.Hex;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The keys of a GnuPG home directory, read in place: public keys from {@code pubring.kbx}
 * (GnuPG 2.1 and later) or {@code pubring.gpg}, secret keys from {@code private-keys-v1.d/KEYGRIP.key}
 * (gpg-agent's files, protected or not) or the legacy {@code secring.gpg}. Nothing is written there
 * and no gpg-agent is needed.
 *
 * @see <a href="https://github.com/gpg/gnupg/blob/master/agent/keyformat.txt">GnuPG's keyformat.txt</a>
 */
public final class GnupgKeyring {

    /** A secret key unlocked for signing, with its public half. */
    public record SigningKey(PGPPublicKey publicKey, PGPPrivateKey privateKey) {

        /** The upper-case hex fingerprint of the key that signs. */
        public String fingerprint() {
            return Hex.toHexString(publicKey.getFingerprint()).toUpperCase(Locale.ROOT);
        }
    }

    private static final PGPDigestCalculatorProvider DIGESTS = new BcPGPDigestCalculatorProvider();
    /** Bouncy Castle's own provider, not installed JVM-wide: gpg-agent protects keys with AES-OCB, which the JDK lacks. */
    private static final java.security.Provider PROVIDER = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private final Path home;

    private GnupgKeyring(Path home) {
        this.home = home;
    }

    /** The keyring of the GnuPG home {@code home}. */
    public static GnupgKeyring at(Path home) {
        return new GnupgKeyring(home);
    }

    /** {@code $GNUPGHOME}, or {@code ~/.gnupg} as gpg finds it. */
    public static Path defaultHome() {
        String explicit = System.getenv("GNUPGHOME");
        if (explicit != null && !explicit.isEmpty()) {
            return Path.of(explicit);
        }
        return Path.of(System.getProperty("user.home"), ".gnupg");
    }

    public Path home() {
        return home;
    }

    /** Every public key ring of the home; empty when it has none. */
    public List<PGPPublicKeyRing> publicKeyRings() throws IOException {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        Path keybox = home.resolve("pubring.kbx");
        if (Files.isRegularFile(keybox)) {
            try (InputStream in = Files.newInputStream(keybox)) {
                for (KeyBlob blob : new BcKeyBox(in).getKeyBlobs()) {
                    if (blob instanceof PublicKeyRingBlob ring) {
                        rings.add(ring.getPGPPublicKeyRing());
                    }
                }
            }
        }
        Path legacy = home.resolve("pubring.gpg");
        if (Files.isRegularFile(legacy)) {
            rings.addAll(PublicKeys.read(Files.readAllBytes(legacy), legacy.toString()));
        }
        return rings;
    }

    /**
     * The secret key that {@code keySpec} names, unlocked with {@code passphrase}. {@code keySpec}
     * is a fingerprint or key ID (hex, spaces allowed, optionally {@code 0x}), or a part of a user
     * ID such as an e-mail address. When the named key cannot sign, its signing subkey is used,
     * as gpg does.
     *
     * @param passphrase null when none was given
     * @throws HoistException when no such key is there, its secret half is missing, the key is
     *                        protected and no or the wrong passphrase is given
     */
    public SigningKey signingKey(String keySpec, char[] passphrase) throws IOException {
        PGPPublicKey key = findSigningPublicKey(keySpec);
        try {
            PGPPrivateKey privateKey = secretKey(keySpec, key, passphrase);
            return new SigningKey(key, privateKey);
        } catch (PGPException e) {
            throw new HoistException("cannot unlock the secret key " + fingerprint(key) + " in " + home + ": " + e.getMessage());
        }
    }

    private PGPPublicKey findSigningPublicKey(String keySpec) throws IOException {
        String hex = keySpec.replace(" ", "").toUpperCase(Locale.ROOT);
        if (hex.startsWith("0X")) {
            hex = hex.substring(2);
        }
        boolean byHex = hex.matches("[0-9A-F]{8,40}");
        for (PGPPublicKeyRing ring : publicKeyRings()) {
            for (Iterator<PGPPublicKey> keys = ring.getPublicKeys(); keys.hasNext(); ) {
                PGPPublicKey key = keys.next();
                boolean named = byHex ? fingerprint(key).endsWith(hex) : key.isMasterKey() && hasUserId(key, keySpec);
                if (!named) {
                    continue;
                }
                if (canSign(key)) {
                    return key;
                }
                for (Iterator<PGPPublicKey> subkeys = ring.getPublicKeys(); subkeys.hasNext(); ) {
                    PGPPublicKey subkey = subkeys.next();
                    if (!subkey.isMasterKey() && canSign(subkey) && !subkey.hasRevocation()) {
                        return subkey;
                    }
                }
                throw new HoistException("key " + keySpec + " in " + home + " cannot sign, and has no signing subkey");
            }
        }
        throw new HoistException("no key " + keySpec + " in the GnuPG home " + home
                + (Files.isDirectory(home) ? "" : " (no such directory; set GNUPGHOME)"));
    }

    private static boolean hasUserId(PGPPublicKey key, String text) {
        for (Iterator<String> ids = key.getUserIDs(); ids.hasNext(); ) {
            if (ids.next().toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static boolean canSign(PGPPublicKey key) {
        Integer flags = null;
        for (Iterator<PGPSignature> sigs = key.getSignatures(); sigs.hasNext(); ) {
            PGPSignature sig = sigs.next();
            if (sig.getHashedSubPackets() != null && sig.getHashedSubPackets().getKeyFlags() != 0) {
                flags = sig.getHashedSubPackets().getKeyFlags();
            }
        }
        if (flags != null) {
            return (flags & KeyFlags.SIGN_DATA) != 0;
        }
        int algorithm = key.getAlgorithm();
        return algorithm == PublicKeyAlgorithmTags.RSA_GENERAL || algorithm == PublicKeyAlgorithmTags.RSA_SIGN
                || algorithm == PublicKeyAlgorithmTags.DSA || algorithm == PublicKeyAlgorithmTags.ECDSA
                || algorithm == PublicKeyAlgorithmTags.EDDSA_LEGACY || algorithm == PublicKeyAlgorithmTags.Ed25519
                || algorithm == PublicKeyAlgorithmTags.Ed448;
    }

    private PGPPrivateKey secretKey(String keySpec, PGPPublicKey key, char[] passphrase) throws IOException, PGPException {
        byte[] grip = new KeyGripCalculator(DIGESTS.get(HashAlgorithmTags.SHA1)).calculateKeygrip(key.getPublicKeyPacket().getKey());
        Path agentFile = home.resolve("private-keys-v1.d").resolve(Hex.toHexString(grip).toUpperCase(Locale.ROOT) + ".key");
        if (Files.isRegularFile(agentFile)) {
            return agentKey(agentFile, key, passphrase);
        }
        Path legacy = home.resolve("secring.gpg");
        if (Files.isRegularFile(legacy)) {
            try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(legacy))) {
                PGPSecretKey secret = new PGPSecretKeyRingCollection(in, new BcKeyFingerprintCalculator()).getSecretKey(key.getKeyID());
                if (secret != null) {
                    return unlock(secret, passphrase);
                }
            }
        }
        throw new HoistException("no secret key for " + keySpec + " (" + fingerprint(key) + ") in the GnuPG home " + home);
    }

    private PGPPrivateKey agentKey(Path file, PGPPublicKey key, char[] passphrase) throws IOException, PGPException {
        boolean isProtected;
        try (InputStream in = Files.newInputStream(file)) {
            isProtected = new String(in.readNBytes(8192), java.nio.charset.StandardCharsets.US_ASCII).contains("protected-private-key");
        }
        if (isProtected && passphrase == null) {
            throw new HoistException("the secret key " + fingerprint(key) + " is protected by a passphrase; give it with --sign-passphrase-file");
        }
        PGPSecretKey secret;
        try (InputStream in = new java.io.ByteArrayInputStream(AgentKeyFile.withBinaryStringsAsHex(Files.readAllBytes(file)))) {
            secret = PGPSecretKeyParser.parse(in, 10).getKeyData(key, DIGESTS,
                    new JcePBEProtectionRemoverFactory(passphrase == null ? new char[0] : passphrase, DIGESTS).setProvider(PROVIDER),
                    new BcKeyFingerprintCalculator(), 10);
        } catch (PGPException | IOException | RuntimeException e) {
            if (isProtected && wrongPassphrase(e)) {
                throw new HoistException("wrong passphrase for the secret key " + fingerprint(key) + " in " + home);
            }
            throw new HoistException(file + ": cannot read this GnuPG secret key: " + HoistException.describe(e));
        }
        return secret.extractPrivateKey(null);
    }

    private PGPPrivateKey unlock(PGPSecretKey secret, char[] passphrase) throws PGPException {
        if (secret.isPrivateKeyEmpty()) {
            throw new HoistException("the secret key " + fingerprint(secret.getPublicKey()) + " in " + home + " is a stub (kept on a card or elsewhere)");
        }
        try {
            return secret.extractPrivateKey(new BcPBESecretKeyDecryptorBuilder(DIGESTS).build(passphrase == null ? new char[0] : passphrase));
        } catch (PGPException e) {
            throw new HoistException(passphrase == null
                    ? "the secret key " + fingerprint(secret.getPublicKey()) + " is protected by a passphrase; give it with --sign-passphrase-file"
                    : "wrong passphrase for the secret key " + fingerprint(secret.getPublicKey()) + " in " + home);
        }
    }

    /** How Bouncy Castle says a key did not decrypt: the integrity check after decryption failed. */
    private static boolean wrongPassphrase(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("mac check") || message.contains("bad padding") || message.contains("checksum")
                    || message.contains("hash mismatch") || message.contains("bad decrypt")) {
                return true;
            }
        }
        return false;
    }

    static String fingerprint(PGPPublicKey key) {
        return Hex.toHexString(key.getFingerprint()).toUpperCase(Locale.ROOT);
    }
}
