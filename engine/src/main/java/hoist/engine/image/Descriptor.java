package hoist.engine.image;

import java.util.List;
import java.util.Map;

/**
 * An OCI content descriptor: what a manifest says of a blob or of another manifest.
 * {@code platform} is set only inside lists; {@code urls} only for non-distributable layers.
 */
public record Descriptor(String mediaType, Digest digest, long size, List<String> urls,
                         Map<String, String> annotations, Platform platform, String artifactType) {

    public Descriptor {
        if (size < 0) {
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
