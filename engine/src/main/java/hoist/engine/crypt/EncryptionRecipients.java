package hoist.engine.crypt;

import hoist.engine.HoistException;
import hoist.engine.sign.GnupgKeyring;

import com.nimbusds.jose.jwk.JWK;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who an encrypted layer's key is wrapped for, from {@code --encryption-key PROTOCOL:VALUE} values
 * as skopeo and podman take them: {@code jwe:FILE} (an RSA or EC public key, PEM, DER or JWK),
 * {@code pkcs7:FILE} (X.509 certificates, PEM or DER) and {@code pgp:RECIPIENT} (an OpenPGP
 * public key file, or a name, e-mail address or key ID looked up in the public keyring of the
 * GnuPG home, read in place by {@link GnupgKeyring}, {@code GNUPGHOME} honoured).
 *
 * @param jwe   JWE recipients, public JWKs
 * @param pkcs7 PKCS#7 recipients, certificates
 * @param pgp   OpenPGP recipients, encryption-capable public keys
 * @see <a href="https://github.com/containers/ocicrypt/blob/main/helpers/parse_helpers.go">ocicrypt's recipient parsing</a>
 */
public record EncryptionRecipients(List<JWK> jwe, List<X509CertificateHolder> pkcs7, List<PGPPublicKey> pgp) {

    public EncryptionRecipients {
        jwe = List.copyOf(jwe);
        pkcs7 = List.copyOf(pkcs7);
        pgp = List.copyOf(pgp);
    }

    /**
     * Reads every recipient.
     *
     * @param specs {@code --encryption-key} values, at least one
     * @throws HoistException (usage) on an unknown protocol; (failed) on a file that cannot be read or holds no usable key
     */
    public static EncryptionRecipients parse(List<String> specs) {
        List<JWK> jwe = new ArrayList<>();
        List<X509CertificateHolder> pkcs7 = new ArrayList<>();
        List<PGPPublicKey> pgp = new ArrayList<>();
        for (String spec : specs) {
            int colon = spec.indexOf(':');
            if (colon < 0) {
                throw HoistException.usage("--encryption-key " + spec + ": expected PROTOCOL:VALUE (jwe:FILE, pkcs7:FILE, pgp:RECIPIENT)");
            }
            String protocol = spec.substring(0, colon);
            String value = spec.substring(colon + 1);
            switch (protocol) {
                case "jwe" -> jwe.add(jweRecipient(value));
                case "pkcs7" -> pkcs7.addAll(certificates(value));
                case "pgp" -> pgp.addAll(pgpRecipients(value));
                default -> throw HoistException.usage("--encryption-key " + spec + ": unknown protocol \"" + protocol
                        + "\" (jwe, pkcs7 or pgp)");
            }
        }
        return new EncryptionRecipients(jwe, pkcs7, pgp);
    }

    /**
     * The annotations carrying {@code privateOptions} wrapped for every recipient, by scheme:
     * {@code org.opencontainers.image.enc.keys.<scheme>} to comma-separated base64 packets.
     */
    public Map<String, String> wrap(byte[] privateOptions) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (!jwe.isEmpty()) {
            List<String> packets = new ArrayList<>();
            for (JWK recipient : jwe) {
                packets.add(CipherOptions.base64(JweKeyWrap.wrap(recipient, privateOptions)));
            }
            annotations.put(LayerAnnotations.KEYS_PREFIX + JweKeyWrap.SCHEME, String.join(",", packets));
        }
        if (!pkcs7.isEmpty()) {
            annotations.put(LayerAnnotations.KEYS_PREFIX + Pkcs7KeyWrap.SCHEME,
                    Base64.getEncoder().encodeToString(Pkcs7KeyWrap.wrap(pkcs7, privateOptions)));
        }
        if (!pgp.isEmpty()) {
            annotations.put(LayerAnnotations.KEYS_PREFIX + PgpKeyWrap.SCHEME,
                    Base64.getEncoder().encodeToString(PgpKeyWrap.wrap(pgp, privateOptions)));
        }
        return annotations;
    }

    private static JWK jweRecipient(String file) {
        KeyFiles.Contents contents = KeyFiles.read(readFile(file), null, file);
        if (!contents.jwks().isEmpty()) {
            return JweKeyWrap.recipient(contents.jwks().get(0), file);
        }
        if (!contents.publicKeys().isEmpty()) {
            return JweKeyWrap.recipient(contents.publicKeys().get(0), file);
        }
        throw new HoistException(file + ": not a public key (jwe: takes an RSA or EC public key, PEM, DER or JWK)");
    }

    private static List<X509CertificateHolder> certificates(String file) {
        KeyFiles.Contents contents = KeyFiles.read(readFile(file), null, file);
        if (contents.certificates().isEmpty()) {
            throw new HoistException(file + ": not an X.509 certificate (pkcs7: takes a certificate, PEM or DER)");
        }
        return contents.certificates();
    }

    private static List<PGPPublicKey> pgpRecipients(String value) {
        Path path = Path.of(value);
        if (Files.isRegularFile(path)) {
            PGPPublicKeyRingCollection rings = publicRings(readFile(value), value);
            List<PGPPublicKey> keys = new ArrayList<>();
            rings.forEach(ring -> keys.add(encryptionKey(ring, value)));
            return keys;
        }
        List<PGPPublicKeyRing> keyring;
        try {
            keyring = GnupgKeyring.at(GnupgKeyring.defaultHome()).publicKeyRings();
        } catch (IOException e) {
            throw new HoistException("--encryption-key pgp:" + value + ": reading the GnuPG home " + GnupgKeyring.defaultHome()
                    + ": " + HoistException.describe(e));
        }
        List<PGPPublicKey> keys = new ArrayList<>();
        for (PGPPublicKeyRing ring : keyring) {
            if (matches(ring, value)) {
                keys.add(encryptionKey(ring, value));
            }
        }
        if (keys.isEmpty()) {
            throw new HoistException("--encryption-key pgp:" + value + ": no key in the GnuPG public keyring for \"" + value
                    + "\" (nor a key file of that name)");
        }
        return keys;
    }

    /** ocicrypt matches a user ID's name or e-mail address exactly; a key ID or fingerprint (hex) matches too. */
    private static boolean matches(PGPPublicKeyRing ring, String recipient) {
        for (Iterator<String> ids = ring.getPublicKey().getUserIDs(); ids.hasNext(); ) {
            String id = ids.next();
            int lt = id.indexOf('<');
            int gt = id.indexOf('>', Math.max(lt, 0));
            String name = lt < 0 ? id.trim() : id.substring(0, lt).trim();
            String address = lt >= 0 && gt > lt ? id.substring(lt + 1, gt) : lt < 0 && id.contains("@") ? id.trim() : "";
            if (recipient.equals(name) || recipient.equals(address)) {
                return true;
            }
        }
        String hex = recipient.toUpperCase(Locale.ROOT).replaceFirst("^0X", "");
        if (hex.length() >= 8 && hex.matches("[0-9A-F]+")) {
            for (PGPPublicKey key : ring) {
                if (HexFormat.of().withUpperCase().formatHex(key.getFingerprint()).endsWith(hex)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The ring's encryption key: a valid subkey that may encrypt, else the primary key if it may. */
    private static PGPPublicKey encryptionKey(PGPPublicKeyRing ring, String what) {
        PGPPublicKey chosen = null;
        for (PGPPublicKey key : ring) {
            if (key.isEncryptionKey() && !key.hasRevocation()) {
                chosen = key; // later (sub)keys win over the primary key
            }
        }
        if (chosen == null) {
            throw new HoistException("pgp:" + what + ": the OpenPGP key "
                    + Long.toHexString(ring.getPublicKey().getKeyID()).toUpperCase(Locale.ROOT) + " has no key that can encrypt");
        }
        return chosen;
    }

    private static PGPPublicKeyRingCollection publicRings(byte[] bytes, String what) {
        try {
            PGPPublicKeyRingCollection rings = new PGPPublicKeyRingCollection(
                    PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes)), new JcaKeyFingerprintCalculator());
            if (rings.size() == 0) {
                throw new HoistException(what + ": holds no OpenPGP public key");
            }
            return rings;
        } catch (IOException | PGPException | RuntimeException e) {
            if (e instanceof HoistException h) {
                throw h;
            }
            throw new HoistException(what + ": not an OpenPGP public key file: " + e.getMessage(), e);
        }
    }

    static byte[] readFile(String file) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new HoistException(file + ": no such file");
        } catch (IOException e) {
            throw new HoistException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }
}
