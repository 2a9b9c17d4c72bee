package hoist.engine.crypt;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The annotations an encrypted layer's descriptor carries, as ocicrypt names them: the layer key
 * wrapped for each recipient under {@code org.opencontainers.image.enc.keys.<scheme>} (base64
 * packets, comma-separated), and the public options (cipher name and HMAC) base64-encoded under
 * {@code org.opencontainers.image.enc.pubopts}.
 *
 * @see <a href="https://github.com/containers/ocicrypt/blob/main/encryption.go">ocicrypt encryption.go</a>
 */
public final class LayerAnnotations {

    /** The namespace of every encryption annotation. */
    public static final String PREFIX = "org.opencontainers.image.enc.";
    /** Followed by the scheme ({@code jwe}, {@code pkcs7}, {@code pgp}): the wrapped keys. */
    public static final String KEYS_PREFIX = PREFIX + "keys.";
    /** The public options: base64 of {@code {"cipher":...,"hmac":...,"cipheroptions":{}}}. */
    public static final String PUBOPTS = PREFIX + "pubopts";

    private LayerAnnotations() {
    }

    /** {@code annotations} without the encryption namespace: what a decrypted layer keeps. */
    public static Map<String, String> withoutEncryption(Map<String, String> annotations) {
        Map<String, String> kept = new LinkedHashMap<>();
        annotations.forEach((k, v) -> {
            if (!k.startsWith(PREFIX)) {
                kept.put(k, v);
            }
        });
        return kept;
    }

    /** Whether any wrapped keys are named in {@code annotations}. */
    public static boolean hasWrappedKeys(Map<String, String> annotations) {
        return annotations.keySet().stream().anyMatch(k -> k.startsWith(KEYS_PREFIX));
    }
}
