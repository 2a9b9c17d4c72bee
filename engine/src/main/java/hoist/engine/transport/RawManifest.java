package hoist.engine.transport;

import hoist.engine.image.Digest;
import hoist.engine.image.Manifest;

/** Manifest bytes exactly as stored, with the media type the location gave them. */
public record RawManifest(byte[] bytes, String mediaType) {

    public Digest digest() {
        return Digest.sha256(bytes);
    }

    public Manifest parse() {
        return Manifest.parse(bytes, mediaType);
    }

    public static RawManifest of(Manifest manifest) {
        return new RawManifest(manifest.raw(), manifest.mediaType());
    }
}
