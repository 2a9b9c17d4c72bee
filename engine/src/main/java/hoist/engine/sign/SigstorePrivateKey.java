package hoist.engine.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hoist.engine.HoistException;
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
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * A sigstore signing key as cosign writes it: a PEM block {@code ENCRYPTED SIGSTORE PRIVATE KEY}
 * (or the older {@code ENCRYPTED COSIGN PRIVATE KEY}) whose body is JSON naming an scrypt key
 * derivation and a NaCl secretbox holding the PKCS#8 key, or a plain PKCS#8 {@code PRIVATE KEY}.
 *
 * @see <a href="https://github.com/secure-systems-lab/go-securesystemslib/blob/main/encrypted/encrypted.go">go-securesystemslib's encrypted format</a>
 */
public final class SigstorePrivateKey {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SECRETBOX_TAG = 16;

    private SigstorePrivateKey() {
    }

    /**
     * Reads the key at {@code file}, decrypting it with {@code passphrase} when it is encrypted.
     *
     * @param passphrase null when none was given
     * @throws HoistException when the file is not such a key, or the passphrase is missing or wrong
     */
    public static PrivateKey load(Path file, char[] passphrase) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String type = pemType(text, file);
        byte[] body = pemBody(text, type);
        byte[] pkcs8 = switch (type) {
            case "ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY" -> {
                if (passphrase == null) {
                    throw new HoistException(file + ": the key is encrypted; give its passphrase with --sign-passphrase-file");
                }
                yield decrypt(body, passphrase, file);
            }
            case "PRIVATE KEY" -> body;
            default -> throw new HoistException(file + ": a PEM " + type + ", not a sigstore private key");
        };
        for (String algorithm : new String[] {"EC", "Ed25519", "RSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new HoistException(file + ": not a PKCS#8 EC, Ed25519 or RSA private key");
    }

    private static String pemType(String text, Path file) {
        int begin = text.indexOf("-----BEGIN ");
        int end = begin < 0 ? -1 : text.indexOf("-----", begin + 11);
        if (begin < 0 || end < 0) {
            throw new HoistException(file + ": not a PEM file");
        }
        return text.substring(begin + 11, end);
    }

    private static byte[] pemBody(String text, String type) {
        String start = "-----BEGIN " + type + "-----";
        int from = text.indexOf(start) + start.length();
        int to = text.indexOf("-----END " + type + "-----", from);
        return Base64.getMimeDecoder().decode(text.substring(from, to < 0 ? text.length() : to));
    }

    private static byte[] decrypt(byte[] envelope, char[] passphrase, Path file) {
        JsonNode json;
        try {
            json = JSON.readTree(envelope);
        } catch (IOException e) {
            throw new HoistException(file + ": the encrypted key is not JSON");
        }
        if (!"scrypt".equals(json.path("kdf").path("name").asText()) || !"nacl/secretbox".equals(json.path("cipher").path("name").asText())) {
            throw new HoistException(file + ": unsupported key encryption " + json.path("kdf").path("name").asText() + "/"
                    + json.path("cipher").path("name").asText() + " (scrypt and nacl/secretbox are read)");
        }
        JsonNode params = json.path("kdf").path("params");
        byte[] salt = Base64.getDecoder().decode(json.path("kdf").path("salt").asText());
        byte[] nonce = Base64.getDecoder().decode(json.path("cipher").path("nonce").asText());
        byte[] sealed = Base64.getDecoder().decode(json.path("ciphertext").asText());
        byte[] key = SCrypt.generate(new String(passphrase).getBytes(StandardCharsets.UTF_8), salt,
                params.path("N").asInt(32768), params.path("r").asInt(8), params.path("p").asInt(1), 32);
        byte[] opened = secretboxOpen(sealed, nonce, key);
        if (opened == null) {
            throw new HoistException("wrong passphrase for the sigstore private key " + file);
        }
        return opened;
    }

    /** NaCl's secretbox_open (XSalsa20 and Poly1305): the message, or null when it does not authenticate. */
    static byte[] secretboxOpen(byte[] sealed, byte[] nonce, byte[] key) {
        if (sealed.length < SECRETBOX_TAG || nonce.length != 24 || key.length != 32) {
            return null;
        }
        XSalsa20Engine cipher = new XSalsa20Engine();
        cipher.init(false, new ParametersWithIV(new KeyParameter(key), nonce));
        byte[] macKey = new byte[32];
        cipher.processBytes(new byte[32], 0, 32, macKey, 0);
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(macKey));
        mac.update(sealed, SECRETBOX_TAG, sealed.length - SECRETBOX_TAG);
        byte[] tag = new byte[SECRETBOX_TAG];
        mac.doFinal(tag, 0);
        if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(sealed, 0, SECRETBOX_TAG))) {
            return null;
        }
        byte[] message = new byte[sealed.length - SECRETBOX_TAG];
        cipher.processBytes(sealed, SECRETBOX_TAG, message.length, message, 0);
        return message;
    }
}
