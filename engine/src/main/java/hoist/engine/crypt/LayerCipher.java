package hoist.engine.crypt;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key material of one encrypted layer for ocicrypt's {@code AES_256_CTR_HMAC_SHA256} cipher:
 * a 32-byte AES-256 key, which is also the HMAC-SHA256 key, and a 16-byte initial counter block
 * (ocicrypt's {@code nonce}). The layer is AES-256-CTR encrypted and the HMAC is taken over the
 * ciphertext (encrypt-then-MAC).
 *
 * @param key   the symmetric key, 32 bytes
 * @param nonce the initial counter block, 16 bytes
 * @see <a href="https://github.com/containers/ocicrypt/blob/main/blockcipher/blockcipher_aes_ctr.go">ocicrypt's AES-CTR layer block cipher</a>
 */
public record LayerCipher(byte[] key, byte[] nonce) {

    /** The cipher's name in the public options ({@code "cipher"}). */
    public static final String NAME = "AES_256_CTR_HMAC_SHA256";
    /** Bytes of the symmetric key. */
    public static final int KEY_BYTES = 32;
    /** Bytes of the nonce, one AES block. */
    public static final int NONCE_BYTES = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** @throws IllegalArgumentException when the key or nonce has the wrong length */
    public LayerCipher {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the layer key must be " + KEY_BYTES + " bytes");
        }
        if (nonce == null || nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("the layer nonce must be " + NONCE_BYTES + " bytes");
        }
        key = key.clone();
        nonce = nonce.clone();
    }

    /** A fresh random key and nonce, for one layer. */
    public static LayerCipher generate() {
        byte[] key = new byte[KEY_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(key);
        RANDOM.nextBytes(nonce);
        return new LayerCipher(key, nonce);
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    /** A new AES-256-CTR cipher at the start of the stream; CTR encrypts and decrypts alike. */
    Cipher ctr() {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(nonce));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CTR is not available in this Java runtime", e);
        }
    }

    /** A new HMAC-SHA256 keyed with the layer key. */
    Mac hmac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this Java runtime", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LayerCipher c && Arrays.equals(key, c.key) && Arrays.equals(nonce, c.nonce);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key) * 31 + Arrays.hashCode(nonce);
    }

    @Override
    public String toString() {
        return "LayerCipher[" + NAME + "]"; // never the key
    }
}
