package hoist.engine.crypt;

import hoist.engine.HoistException;

import com.nimbusds.jose.jwk.JWK;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the key files ocicrypt reads: public keys (PEM or DER {@code SubjectPublicKeyInfo}, or a
 * JWK), private keys (PEM PKCS#8, PKCS#1 RSA and SEC1 EC, encrypted PKCS#8 or OpenSSL-encrypted
 * PEM with a password, DER PKCS#8, or a private JWK) and X.509 certificates (PEM or DER).
 *
 * @see <a href="https://github.com/containers/ocicrypt/blob/main/utils/utils.go">ocicrypt utils.go</a>
 */
final class KeyFiles {

    static final Provider BC = new BouncyCastleProvider();

    private KeyFiles() {
    }

    /** What a file holds, all of it. */
    record Contents(List<PrivateKey> privateKeys, List<PublicKey> publicKeys, List<X509CertificateHolder> certificates,
                    List<JWK> jwks) {
        boolean isEmpty() {
            return privateKeys.isEmpty() && publicKeys.isEmpty() && certificates.isEmpty() && jwks.isEmpty();
        }
    }

    /**
     * Everything a PEM, DER or JWK file holds. {@code password} (null: none given) opens encrypted
     * private keys.
     *
     * @param file names the file in errors
     * @throws HoistException when an encrypted key has no password or the password is wrong
     */
    static Contents read(byte[] bytes, char[] password, String file) {
        List<PrivateKey> privateKeys = new ArrayList<>();
        List<PublicKey> publicKeys = new ArrayList<>();
        List<X509CertificateHolder> certificates = new ArrayList<>();
        List<JWK> jwks = new ArrayList<>();
        String text = new String(bytes, StandardCharsets.ISO_8859_1).trim();
        if (text.startsWith("{")) {
            try {
                jwks.add(JWK.parse(new String(bytes, StandardCharsets.UTF_8)));
            } catch (ParseException e) {
                // not a JWK after all
            }
        } else if (text.contains("-----BEGIN ")) {
            readPem(text, password, file, privateKeys, publicKeys, certificates);
        } else {
            readDer(bytes, privateKeys, publicKeys, certificates);
        }
        return new Contents(privateKeys, publicKeys, certificates, jwks);
    }

    private static void readPem(String text, char[] password, String file, List<PrivateKey> privateKeys,
                                List<PublicKey> publicKeys, List<X509CertificateHolder> certificates) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter(); // the JDK's key classes, which its ECDH takes
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            Object object;
            while ((object = nextObject(parser)) != null) {
                if (object instanceof PEMKeyPair pair) {
                    privateKeys.add(privateKey(pair.getPrivateKeyInfo()));
                } else if (object instanceof PrivateKeyInfo info) {
                    privateKeys.add(privateKey(info));
                } else if (object instanceof SubjectPublicKeyInfo info) {
                    publicKeys.add(converter.getPublicKey(info));
                } else if (object instanceof X509CertificateHolder cert) {
                    certificates.add(cert);
                } else if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    requirePassword(password, file);
                    try {
                        InputDecryptorProvider decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(password);
                        privateKeys.add(privateKey(encrypted.decryptPrivateKeyInfo(decryptor)));
                    } catch (Exception e) {
                        throw new HoistException(file + ": wrong password: the private key cannot be decrypted", e);
                    }
                } else if (object instanceof PEMEncryptedKeyPair encrypted) {
                    requirePassword(password, file);
                    try {
                        PEMKeyPair pair = encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(BC).build(password));
                        privateKeys.add(privateKey(pair.getPrivateKeyInfo()));
                    } catch (IOException e) {
                        throw new HoistException(file + ": wrong password: the private key cannot be decrypted", e);
                    }
                }
            }
        } catch (IOException e) {
            throw new HoistException(file + ": not a valid PEM file: " + e.getMessage(), e);
        }
    }

    /**
     * The JDK's own key for {@code info} (its ECDH takes no other provider's keys); a key the JDK
     * cannot read as it is encoded (SEC1 EC keys whose curve is only inside the key) is read by
     * bouncycastle and encoded again as PKCS#8 with the curve named.
     */
    static PrivateKey privateKey(PrivateKeyInfo info) throws IOException {
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException e) {
            PrivateKey bc = new JcaPEMKeyConverter().setProvider(BC).getPrivateKey(info);
            try {
                return java.security.KeyFactory.getInstance(bc.getAlgorithm().equals("ECDSA") ? "EC" : bc.getAlgorithm())
                        .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(bc.getEncoded()));
            } catch (java.security.GeneralSecurityException again) {
                throw new IOException(again.getMessage(), again);
            }
        }
    }

    /** The next PEM object, skipping blocks of types this reader does not know. */
    private static Object nextObject(PEMParser parser) throws IOException {
        while (true) {
            try {
                return parser.readObject();
            } catch (IOException e) {
                if (e.getMessage() == null || !e.getMessage().startsWith("unrecognised object")) {
                    throw e;
                }
            }
        }
    }

    private static void requirePassword(char[] password, String file) {
        if (password == null) {
            throw new HoistException(file + ": the private key is encrypted; give its password as "
                    + file + ":PASSWORD-FILE");
        }
    }

    private static void readDer(byte[] bytes, List<PrivateKey> privateKeys, List<PublicKey> publicKeys,
                                List<X509CertificateHolder> certificates) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter(); // the JDK's key classes, which its ECDH takes
        try {
            privateKeys.add(privateKey(PrivateKeyInfo.getInstance(bytes)));
            return;
        } catch (RuntimeException | IOException e) {
            // not PKCS#8
        }
        try {
            publicKeys.add(converter.getPublicKey(SubjectPublicKeyInfo.getInstance(bytes)));
            return;
        } catch (RuntimeException | IOException e) {
            // not a public key
        }
        try {
            certificates.add(new X509CertificateHolder(bytes));
        } catch (RuntimeException | IOException e) {
            // not a certificate either: the file holds nothing this reader knows
        }
    }
}
