package hoist.engine.crypt;

import hoist.engine.HoistException;

import com.nimbusds.jose.jwk.JWK;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys {@code --decryption-key KEY[:PASSWORD]} values give: private keys (PEM, DER or JWK;
 * RSA for jwe and pkcs7, EC for jwe), X.509 certificates (which pkcs7 recipient a key is), and
 * OpenPGP secret keyrings (armored or binary, as {@code gpg --export-secret-keys} writes them).
 * The part after the first colon names the password: {@code file=PATH} or a bare {@code PATH} (a
 * file whose first line is the password), or {@code pass=TEXT} (the password itself, as skopeo
 * takes it).
 *
 * @see <a href="https://github.com/containers/ocicrypt/blob/main/helpers/parse_helpers.go">ocicrypt's private key parsing</a>
 */
public final class DecryptionKeys {

    private final List<PrivateKey> privateKeys;
    private final List<JWK> jwks;
    private final List<X509CertificateHolder> certificates;
    private final List<PgpKeyWrap.SecretKeys> pgp;

    private DecryptionKeys(List<PrivateKey> privateKeys, List<JWK> jwks, List<X509CertificateHolder> certificates,
                           List<PgpKeyWrap.SecretKeys> pgp) {
        this.privateKeys = List.copyOf(privateKeys);
        this.jwks = List.copyOf(jwks);
        this.certificates = List.copyOf(certificates);
        this.pgp = List.copyOf(pgp);
    }

    /**
     * Reads every key file.
     *
     * @param specs {@code --decryption-key} values
     * @throws HoistException when a file cannot be read, holds no key, or a password is missing or wrong
     */
    public static DecryptionKeys parse(List<String> specs) {
        List<PrivateKey> privateKeys = new ArrayList<>();
        List<JWK> jwks = new ArrayList<>();
        List<X509CertificateHolder> certificates = new ArrayList<>();
        List<PgpKeyWrap.SecretKeys> pgp = new ArrayList<>();
        for (String spec : specs) {
            int colon = spec.indexOf(':');
            String file = colon < 0 ? spec : spec.substring(0, colon);
            char[] password = colon < 0 ? null : password(spec.substring(colon + 1), file);
            byte[] bytes = EncryptionRecipients.readFile(file);
            PGPSecretKeyRingCollection rings = looksLikeOpenPgp(bytes) ? PgpKeyWrap.secretRings(bytes) : null;
            if (rings != null) {
                pgp.add(new PgpKeyWrap.SecretKeys(rings, password, file));
                continue;
            }
            KeyFiles.Contents contents = KeyFiles.read(bytes, password, file);
            if (contents.privateKeys().isEmpty() && contents.certificates().isEmpty()
                    && contents.jwks().stream().noneMatch(JWK::isPrivate)) {
                throw new HoistException("--decryption-key " + file
                        + ": holds no private key, certificate or OpenPGP secret key");
            }
            privateKeys.addAll(contents.privateKeys());
            contents.jwks().stream().filter(JWK::isPrivate).forEach(jwks::add);
            certificates.addAll(contents.certificates());
        }
        return new DecryptionKeys(privateKeys, jwks, certificates, pgp);
    }

    private static boolean looksLikeOpenPgp(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.ISO_8859_1).trim();
        return head.startsWith("-----BEGIN PGP") || (bytes.length > 0 && (bytes[0] & 0x80) != 0);
    }

    private static char[] password(String spec, String keyFile) {
        if (spec.startsWith("pass=")) {
            return spec.substring("pass=".length()).toCharArray();
        }
        String file = spec.startsWith("file=") ? spec.substring("file=".length()) : spec;
        byte[] bytes;
        try {
            bytes = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(file));
        } catch (java.io.IOException e) {
            throw new HoistException("--decryption-key " + keyFile + ": the password file " + file + " cannot be read");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).replace("\r", "").toCharArray();
    }

    /** Whether no key was given. */
    public boolean isEmpty() {
        return privateKeys.isEmpty() && jwks.isEmpty() && pgp.isEmpty();
    }

    /**
     * The private options of an encrypted layer, unwrapped from the first of its
     * {@code org.opencontainers.image.enc.keys.*} annotations one of these keys opens.
     *
     * @param what names the layer in errors
     * @throws HoistException when the layer has no wrapped keys, or none of these keys opens them
     */
    public byte[] unwrap(Map<String, String> annotations, String what) {
        if (!LayerAnnotations.hasWrappedKeys(annotations)) {
            throw new HoistException(what + ": the encrypted layer has no " + LayerAnnotations.KEYS_PREFIX
                    + "* annotation, so its key cannot be unwrapped");
        }
        List<String> errors = new ArrayList<>();
        List<String> schemes = new ArrayList<>();
        for (Map.Entry<String, String> annotation : annotations.entrySet()) {
            if (!annotation.getKey().startsWith(LayerAnnotations.KEYS_PREFIX)) {
                continue;
            }
            String scheme = annotation.getKey().substring(LayerAnnotations.KEYS_PREFIX.length());
            schemes.add(scheme);
            for (String b64 : annotation.getValue().split(",")) {
                byte[] packet;
                try {
                    packet = Base64.getDecoder().decode(b64.trim());
                } catch (IllegalArgumentException e) {
                    throw new HoistException(what + ": the " + annotation.getKey() + " annotation is not base64");
                }
                Optional<byte[]> options = unwrap(scheme, packet, errors, what);
                if (options.isPresent()) {
                    return options.get();
                }
            }
        }
        throw new HoistException(what + ": none of the decryption keys given opens it (it is encrypted for "
                + String.join(", ", schemes) + " recipients" + (errors.isEmpty() ? "" : "; " + String.join("; ", errors.stream().distinct().toList()))
                + ")");
    }

    private Optional<byte[]> unwrap(String scheme, byte[] packet, List<String> errors, String what) {
        try {
            return switch (scheme) {
                case JweKeyWrap.SCHEME -> privateKeys.isEmpty() && jwks.isEmpty() ? Optional.empty()
                        : JweKeyWrap.unwrap(packet, privateKeys, jwks, errors);
                case Pkcs7KeyWrap.SCHEME -> privateKeys.isEmpty() ? Optional.empty()
                        : Pkcs7KeyWrap.unwrap(packet, privateKeys, certificates, errors);
                case PgpKeyWrap.SCHEME -> pgp.isEmpty() ? Optional.empty() : PgpKeyWrap.unwrap(packet, pgp, errors);
                default -> Optional.empty(); // pkcs11, key providers: not keys hoist holds
            };
        } catch (HoistException e) {
            throw new HoistException(what + ": " + e.getMessage(), e);
        }
    }
}
