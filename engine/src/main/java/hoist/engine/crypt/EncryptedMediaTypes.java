package hoist.engine.crypt;

/**
 * The {@code +encrypted} layer media types: a layer type with {@code +encrypted} appended
 * ({@code application/vnd.oci.image.layer.v1.tar+gzip+encrypted}), and back.
 *
 * @see <a href="https://github.com/containers/ocicrypt/blob/main/spec/spec.go">ocicrypt media types</a>
 */
public final class EncryptedMediaTypes {

    /** The suffix ocicrypt appends. */
    public static final String SUFFIX = "+encrypted";

    private EncryptedMediaTypes() {
    }

    /** Whether {@code mediaType} is an encrypted layer's. */
    public static boolean isEncrypted(String mediaType) {
        return mediaType != null && mediaType.endsWith(SUFFIX);
    }

    /** The encrypted form of a plain layer type; an encrypted type as it is. */
    public static String encrypted(String mediaType) {
        return isEncrypted(mediaType) ? mediaType : mediaType + SUFFIX;
    }

    /** The plain layer type of an encrypted one; a plain type as it is. */
    public static String decrypted(String mediaType) {
        return isEncrypted(mediaType) ? mediaType.substring(0, mediaType.length() - SUFFIX.length()) : mediaType;
    }
}
