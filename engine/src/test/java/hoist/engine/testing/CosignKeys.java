package hoist.engine.testing;

import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * Writes sigstore key pairs the way cosign's {@code generate-key-pair} does: an ECDSA P-256 key,
 * its PKCS#8 form sealed with NaCl secretbox under an scrypt-derived key in a JSON envelope, PEM
 * {@code ENCRYPTED SIGSTORE PRIVATE KEY}; the public key as PEM {@code PUBLIC KEY}.
 */
public final class CosignKeys {

    /**
     * The files of one key pair.
     *
     * @param privateKey the encrypted private key
     * @param publicKey  the public key
     * @param plainKey   the same private key unencrypted (PEM {@code PRIVATE KEY})
     */
    public record Files3(Path privateKey, Path publicKey, Path plainKey) {
    }

    private CosignKeys() {
    }

    /** A new pair in {@code dir}, the private key sealed with {@code passphrase}. */
    public static Files3 create(Path dir, String passphrase) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            SecureRandom random = new SecureRandom();
            byte[] salt = new byte[32];
            byte[] nonce = new byte[24];
            random.nextBytes(salt);
            random.nextBytes(nonce);
            byte[] key = SCrypt.generate(passphrase.getBytes(StandardCharsets.UTF_8), salt, 32768, 8, 1, 32);
            byte[] sealed = seal(pair.getPrivate().getEncoded(), nonce, key);
            Base64.Encoder b64 = Base64.getEncoder();
            String envelope = "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"" + b64.encodeToString(salt)
                    + "\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"" + b64.encodeToString(nonce)
                    + "\"},\"ciphertext\":\"" + b64.encodeToString(sealed) + "\"}";
            Files.createDirectories(dir);
            return new Files3(
                    Files.writeString(dir.resolve("cosign.key"), pem("ENCRYPTED SIGSTORE PRIVATE KEY", envelope.getBytes(StandardCharsets.UTF_8))),
                    Files.writeString(dir.resolve("cosign.pub"), pem("PUBLIC KEY", pair.getPublic().getEncoded())),
                    Files.writeString(dir.resolve("plain.key"), pem("PRIVATE KEY", pair.getPrivate().getEncoded())));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** NaCl secretbox: the Poly1305 tag, then the message XORed with XSalsa20's key stream after its first 32 bytes. */
    private static byte[] seal(byte[] message, byte[] nonce, byte[] key) {
        XSalsa20Engine cipher = new XSalsa20Engine();
        cipher.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        byte[] macKey = new byte[32];
        cipher.processBytes(new byte[32], 0, 32, macKey, 0);
        byte[] sealed = new byte[16 + message.length];
        cipher.processBytes(message, 0, message.length, sealed, 16);
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(macKey));
        mac.update(sealed, 16, message.length);
        mac.doFinal(sealed, 0);
        return sealed;
    }
}
