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

    /** The manifest this one is attached to (OCI 1.1 {@code subject}), or null when none. */
    Descriptor subject();

    /** The OCI 1.1 {@code artifactType} this manifest names, or null when it names none. */
    String artifactType();

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
