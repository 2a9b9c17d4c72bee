package hoist.engine.image;

import java.util.Map;

/**
 * A parsed manifest of any kind, keeping the exact bytes it was read from: its digest is always
 * the digest of those bytes, never of a re-serialization.
 */
public sealed interface Manifest permits ImageManifest, ManifestList {

    /** The exact bytes; callers must not modify the array. */
    byte[] raw();

    String mediaType();

    Map<String, String> annotations();

    default Digest digest() {
        return Digest.sha256(raw());
    }

    default ManifestFormat format() {
        return ManifestFormat.ofMediaType(mediaType());
    }

    /** Parses manifest bytes; see {@link ManifestParser}. */
    static Manifest parse(byte[] raw, String mediaTypeHint) {
        return ManifestParser.parse(raw, mediaTypeHint);
    }
}
