package hoist.engine.crypt;

import hoist.engine.HoistException;
import hoist.engine.image.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEDecrypter;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code jwe} scheme: the private options encrypted as a JWE (content A256GCM) to an RSA key
 * with RSA-OAEP or an EC key with ECDH-ES+A256KW, as ocicrypt chooses (a JWK's own {@code alg}
 * when it names one of RSA-OAEP, RSA-OAEP-256, ECDH-ES+A128KW/A192KW/A256KW). Written in the
 * flattened JSON serialization, one JWE per recipient; read in the general (several recipients)
 * or flattened JSON serialization, or the compact one.
 *
 * @see <a href="https://github.com/containers/ocicrypt/blob/main/keywrap/jwe/keywrapper_jwe.go">ocicrypt's jwe key wrapper</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7516#section-7.2">RFC 7516 JWE JSON serialization</a>
 */
final class JweKeyWrap {

    static final String SCHEME = "jwe";

    private static final Set<JWEAlgorithm> ACCEPTED = Set.of(JWEAlgorithm.RSA_OAEP, JWEAlgorithm.RSA_OAEP_256,
            JWEAlgorithm.ECDH_ES_A128KW, JWEAlgorithm.ECDH_ES_A192KW, JWEAlgorithm.ECDH_ES_A256KW);

    private JweKeyWrap() {
    }

    /** A public key as a recipient: an RSA or EC JWK (the public JWK as given, with its {@code alg}). */
    static JWK recipient(PublicKey key, String file) {
        if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).build();
        }
        if (key instanceof ECPublicKey ec) {
            return new ECKey.Builder(com.nimbusds.jose.jwk.Curve.forECParameterSpec(ec.getParams()), ec).build();
        }
        throw new HoistException(file + ": a " + key.getAlgorithm() + " key cannot be a jwe recipient; use an RSA or EC key");
    }

    /** A JWK as a recipient, checked: public, RSA or EC, an accepted {@code alg}. */
    static JWK recipient(JWK jwk, String file) {
        if (jwk.isPrivate()) {
            throw new HoistException(file + ": the JWK is a private key; --encryption-key jwe: takes a public key");
        }
        if (!(jwk instanceof RSAKey) && !(jwk instanceof ECKey)) {
            throw new HoistException(file + ": a " + jwk.getKeyType() + " JWK cannot be a jwe recipient; use an RSA or EC key");
        }
        if (jwk.getAlgorithm() != null && !ACCEPTED.contains(JWEAlgorithm.parse(jwk.getAlgorithm().getName()))) {
            throw new HoistException(file + ": " + jwk.getAlgorithm() + " is an unsupported JWE key algorithm");
        }
        return jwk;
    }

    /** The private options encrypted to {@code recipient}, as a flattened JSON JWE (UTF-8). */
    static byte[] wrap(JWK recipient, byte[] privateOptions) {
        try {
            JWEAlgorithm alg = recipient.getAlgorithm() != null ? JWEAlgorithm.parse(recipient.getAlgorithm().getName())
                    : recipient instanceof ECKey ? JWEAlgorithm.ECDH_ES_A256KW : JWEAlgorithm.RSA_OAEP;
            JWEEncrypter encrypter = recipient instanceof ECKey ec ? new ECDHEncrypter(ec) : new RSAEncrypter((RSAKey) recipient);
            JWEObject jwe = new JWEObject(new JWEHeader(alg, EncryptionMethod.A256GCM), new Payload(privateOptions));
            jwe.encrypt(encrypter);
            // the compact form's five parts are the flattened JSON's members, the protected header as it was authenticated
            String[] parts = jwe.serialize().split("\\.", -1);
            ObjectNode flat = Json.mapper().createObjectNode();
            flat.put("protected", parts[0]);
            flat.put("encrypted_key", parts[1]);
            flat.put("iv", parts[2]);
            flat.put("ciphertext", parts[3]);
            flat.put("tag", parts[4]);
            return flat.toString().getBytes(StandardCharsets.UTF_8);
        } catch (JOSEException e) {
            throw new HoistException("jwe: the layer key cannot be wrapped: " + e.getMessage(), e);
        }
    }

    /**
     * The private options from a JWE packet, when one of {@code keys} opens it.
     *
     * @return empty when none does
     * @throws HoistException when the packet is not a JWE
     */
    static Optional<byte[]> unwrap(byte[] packet, List<PrivateKey> keys, List<JWK> jwks, List<String> errors) {
        List<Encrypted> recipients = parse(new String(packet, StandardCharsets.UTF_8).trim());
        for (JWEDecrypter decrypter : decrypters(keys, jwks)) {
            for (Encrypted e : recipients) {
                if (!decrypter.supportedJWEAlgorithms().contains(e.header().getAlgorithm())) {
                    continue;
                }
                try {
                    return Optional.of(decrypter.decrypt(e.header(), e.encryptedKey(), e.iv(), e.ciphertext(), e.tag(), e.aad()));
                } catch (JOSEException | RuntimeException ex) {
                    errors.add("jwe: " + ex.getMessage());
                }
            }
        }
        return Optional.empty();
    }

    private static List<JWEDecrypter> decrypters(List<PrivateKey> keys, List<JWK> jwks) {
        List<JWEDecrypter> decrypters = new ArrayList<>();
        try {
            for (PrivateKey key : keys) {
                if (key instanceof RSAPrivateKey) {
                    decrypters.add(new RSADecrypter(key));
                } else if (key instanceof ECPrivateKey ec) {
                    decrypters.add(new ECDHDecrypter(ec));
                }
            }
            for (JWK jwk : jwks) {
                if (jwk instanceof RSAKey rsa && rsa.isPrivate()) {
                    decrypters.add(new RSADecrypter(rsa));
                } else if (jwk instanceof ECKey ec && ec.isPrivate()) {
                    decrypters.add(new ECDHDecrypter(ec));
                }
            }
        } catch (JOSEException e) {
            throw new HoistException("jwe: a decryption key cannot be used: " + e.getMessage(), e);
        }
        return decrypters;
    }

    /** One recipient's view of a JWE: its whole header, its encrypted key, and the shared parts. */
    private record Encrypted(JWEHeader header, Base64URL encryptedKey, Base64URL iv, Base64URL ciphertext, Base64URL tag,
                             byte[] aad) {
    }

    private static List<Encrypted> parse(String text) {
        try {
            if (!text.startsWith("{")) {
                JWEObject compact = JWEObject.parse(text);
                Base64URL[] p = compact.getParsedParts();
                return List.of(new Encrypted(compact.getHeader(), p[1], p[2], p[3], p[4],
                        p[0].toString().getBytes(StandardCharsets.US_ASCII)));
            }
            JsonNode root = Json.mapper().readTree(text);
            String protectedB64 = root.path("protected").asText("");
            Map<String, Object> shared = new LinkedHashMap<>();
            if (!protectedB64.isEmpty()) {
                merge(shared, Json.mapper().readTree(new Base64URL(protectedB64).decode()));
            }
            merge(shared, root.get("unprotected"));
            String aad = protectedB64 + (root.hasNonNull("aad") ? "." + root.get("aad").asText() : "");
            List<JsonNode> recipients = new ArrayList<>();
            if (root.has("recipients")) {
                root.get("recipients").forEach(recipients::add);
            } else {
                recipients.add(root);
            }
            List<Encrypted> out = new ArrayList<>();
            for (JsonNode recipient : recipients) {
                Map<String, Object> header = new LinkedHashMap<>(shared);
                merge(header, recipient.get("header"));
                String ek = recipient.path("encrypted_key").asText("");
                out.add(new Encrypted(JWEHeader.parse(header), ek.isEmpty() ? null : new Base64URL(ek),
                        b64(root, "iv"), b64(root, "ciphertext"), b64(root, "tag"), aad.getBytes(StandardCharsets.US_ASCII)));
            }
            return out;
        } catch (ParseException | IOException | RuntimeException e) {
            throw new HoistException("the jwe wrapped key is not a valid JWE: " + e.getMessage(), e);
        }
    }

    private static Base64URL b64(JsonNode root, String field) {
        JsonNode value = root.get(field);
        return value == null || value.asText().isEmpty() ? null : new Base64URL(value.asText());
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, JsonNode header) {
        if (header == null || !header.isObject()) {
            return;
        }
        Map<String, Object> values = Json.mapper().convertValue(header, Map.class);
        for (Iterator<Map.Entry<String, Object>> it = values.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Object> e = it.next();
            into.put(e.getKey(), e.getValue());
        }
    }
}
