package hoist.engine.image;

import java.util.List;
import java.util.Map;

/**
 * An OCI content descriptor: what a manifest says of a blob or of another manifest.
 * {@code platform} is set only inside lists; {@code urls} only for non-distributable layers.
 * {@code size} is in bytes; {@link #UNKNOWN_SIZE} only for a layer named by a Docker schema 1
 * manifest (which gives no sizes) until it is read, never in a manifest written.
 */
public record Descriptor(String mediaType, Digest digest, long size, List<String> urls,
                         Map<String, String> annotations, Platform platform, String artifactType) {

    /** The size of a blob not yet read whose manifest does not say it (Docker schema 1). */
    public static final long UNKNOWN_SIZE = -1;

    public Descriptor {
        if (size < UNKNOWN_SIZE) {
            throw new IllegalArgumentException("negative size " + size + " for " + digest);
        }
        urls = urls == null ? List.of() : List.copyOf(urls);
        annotations = annotations == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(annotations));
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, List.of(), Map.of(), null, null);
    }

    public Descriptor withMediaType(String newMediaType) {
        return new Descriptor(newMediaType, digest, size, urls, annotations, platform, artifactType);
    }

    public Descriptor withDigestAndSize(Digest newDigest, long newSize) {
        return new Descriptor(mediaType, newDigest, newSize, urls, annotations, platform, artifactType);
    }

    public Descriptor withPlatform(Platform newPlatform) {
        return new Descriptor(mediaType, digest, size, urls, annotations, newPlatform, artifactType);
    }

    public Descriptor withAnnotations(Map<String, String> newAnnotations) {
        return new Descriptor(mediaType, digest, size, urls, newAnnotations, platform, artifactType);
    }
}
