package hoist.engine.transport.ostree;

import hoist.engine.image.Digest;

import java.nio.charset.StandardCharsets;

/**
 * The ref names containers/image's ostree transport used: {@code ociimage/IMAGE} for an image's
 * manifest commit, with every byte of the image name other than ASCII letters, digits, {@code .}
 * and {@code -} written as {@code _XX} (upper-case hex), and {@code ociimage/HEX} for each blob's
 * commit, HEX being the blob digest's encoded part.
 *
 * @see <a href="https://github.com/containers/image/blob/v5.33.0/ostree/ostree_transport.go">containers/image ostree_transport.go (encodeOStreeRef)</a>
 */
final class OstreeBranches {

    static final String PREFIX = "ociimage/";

    private OstreeBranches() {
    }

    /** {@code ociimage/} and the image name encoded: {@code example.com/app:1} is {@code ociimage/example.com_2Fapp_3A1}. */
    static String image(String image) {
        StringBuilder out = new StringBuilder(PREFIX);
        for (byte b : image.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
                out.append(c);
            } else {
                out.append('_').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** {@code ociimage/HEX} of a blob. */
    static String blob(Digest digest) {
        return PREFIX + digest.hex();
    }

    /**
     * Where a layer's tar-split goes when it is too large for commit metadata on a command line:
     * a commit of its own holding {@value #TAR_SPLIT_FILE}. No image name encodes to it, since
     * image names always carry a {@code :} tag or {@code @} digest, which encode with {@code _}.
     */
    static String tarSplit(Digest digest) {
        return PREFIX + "tarsplit/" + digest.hex();
    }

    static final String TAR_SPLIT_FILE = "tar-split.json.gz";
}
