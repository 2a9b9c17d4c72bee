package hoist.engine.crypt;

import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * ocicrypt's two JSON documents about a layer's cipher, byte strings in standard base64 as Go
 * writes {@code []byte}: the private options {@code {"symkey":...,"digest":"sha256:...",
 * "cipheroptions":{"nonce":...}}}, which are what gets wrapped for each recipient, and the public
 * options {@code {"cipher":"AES_256_CTR_HMAC_SHA256","hmac":...,"cipheroptions":{}}}, which go
 * base64-encoded into the {@code pubopts} annotation.
 *
 * @see <a href="https://github.com/containers/ocicrypt/blob/main/blockcipher/blockcipher.go">ocicrypt blockcipher.go</a>
 */
public final class CipherOptions {

    private CipherOptions() {
    }

    /** The private options: the key, the nonce, and the digest of the bytes that were encrypted. */
    public record Private(LayerCipher keys, Digest digest) {
    }

    /** The JSON of the private options, UTF-8. */
    public static byte[] privateJson(Private options) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("symkey", base64(options.keys().key()));
        root.put("digest", options.digest().toString());
        root.putObject("cipheroptions").put("nonce", base64(options.keys().nonce()));
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The JSON of the public options for {@code hmac}, UTF-8. */
    public static byte[] publicJson(byte[] hmac) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("cipher", LayerCipher.NAME);
        root.put("hmac", base64(hmac));
        root.putObject("cipheroptions");
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads unwrapped private options.
     *
     * @param what names the layer in errors
     * @throws HoistException when they are not JSON or lack the key or nonce
     */
    public static Private parsePrivate(byte[] json, String what) {
        try {
            JsonNode root = Json.mapper().readTree(json);
            byte[] key = bytes(root, "symkey", what);
            byte[] nonce = bytes(root.path("cipheroptions"), "nonce", what);
            String digest = root.path("digest").asText("");
            return new Private(new LayerCipher(key, nonce), digest.isEmpty() ? null : Digest.parse(digest));
        } catch (IOException | IllegalArgumentException e) {
            throw new HoistException(what + ": the unwrapped layer key is not valid: " + e.getMessage(), e);
        }
    }

    /**
     * The HMAC from the public options of a {@code pubopts} annotation value.
     *
     * @param what names the layer in errors
     * @throws HoistException when the annotation is missing, not base64 JSON, names another cipher or has no HMAC
     */
    public static byte[] hmacOf(String pubopts, String what) {
        if (pubopts == null || pubopts.isEmpty()) {
            throw new HoistException(what + ": the encrypted layer has no " + LayerAnnotations.PUBOPTS
                    + " annotation, so its HMAC cannot be checked");
        }
        try {
            JsonNode root = Json.mapper().readTree(Base64.getDecoder().decode(pubopts));
            String cipher = root.path("cipher").asText("");
            if (!LayerCipher.NAME.equals(cipher)) {
                throw new HoistException(what + ": the layer is encrypted with cipher \"" + cipher
                        + "\"; only " + LayerCipher.NAME + " is known");
            }
            byte[] hmac = bytes(root, "hmac", what);
            if (hmac.length == 0) {
                throw new HoistException(what + ": the " + LayerAnnotations.PUBOPTS + " annotation has no HMAC");
            }
            return hmac;
        } catch (IOException | IllegalArgumentException e) {
            throw new HoistException(what + ": the " + LayerAnnotations.PUBOPTS + " annotation is not valid: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new HoistException(what + ": \"" + field + "\" is missing from the layer's cipher options");
        }
        return Base64.getDecoder().decode(value.asText());
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
