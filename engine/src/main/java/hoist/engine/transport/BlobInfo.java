package hoist.engine.transport;

import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;

/**
 * What a destination is told of a blob before its bytes arrive. {@code digest} is null and
 * {@code size} -1 when the bytes are being produced on the way (recompression), so the
 * destination computes them as it stores.
 */
public record BlobInfo(Digest digest, long size, String mediaType, Kind kind) {

    public enum Kind { CONFIG, LAYER }

    public static BlobInfo known(Descriptor descriptor, Kind kind) {
        return new BlobInfo(descriptor.digest(), descriptor.size(), descriptor.mediaType(), kind);
    }

    /** A manifest stored as a blob (by stores that keep list instances among their blobs): small, like a config. */
    public static BlobInfo ofManifest(RawManifest manifest) {
        return new BlobInfo(manifest.digest(), manifest.bytes().length, manifest.mediaType(), Kind.CONFIG);
    }

    public static BlobInfo unknown(String mediaType, Kind kind) {
        return new BlobInfo(null, -1, mediaType, kind);
    }

    public boolean isConfig() {
        return kind == Kind.CONFIG;
    }
}
