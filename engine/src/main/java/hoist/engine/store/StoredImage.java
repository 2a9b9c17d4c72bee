package hoist.engine.store;

import hoist.engine.image.Digest;

import java.util.List;

/**
 * An image in the store: its top-level manifest (an image or a list), the names pointing at it,
 * and its ID (the config digest of a single image; the manifest digest of a list).
 *
 * @param manifestDigest the digest of the top-level manifest, as stored
 * @param mediaType      the top-level manifest's media type (an image manifest, or a list/index)
 * @param id             the image ID podman would show: the config digest, or a list's manifest digest
 * @param names          full names ({@code REGISTRY/PATH:TAG}), oldest first; empty for an image known by ID only
 * @param created        when the image was made (RFC 3339, from its config; for a list, when it was stored);
 *                       null in an index written without it
 * @param size           bytes: config and layers as stored for an image, the manifest's own bytes for a list
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/manifest.md">OCI image manifest</a>
 */
public record StoredImage(Digest manifestDigest, String mediaType, Digest id, List<String> names,
                          String created, long size) {

    /** Copies {@code names}, so the record stays a value. */
    public StoredImage {
        names = List.copyOf(names);
    }

    /** Whether the top-level manifest is a manifest list or an OCI image index. */
    public boolean isList() {
        return hoist.engine.image.MediaTypes.isList(mediaType);
    }

    StoredImage withNames(List<String> newNames) {
        return new StoredImage(manifestDigest, mediaType, id, newNames, created, size);
    }
}
