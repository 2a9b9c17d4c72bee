package hoist.engine.store;

import hoist.engine.image.Digest;

import java.util.List;

/**
 * An image in the store: its top-level manifest (an image or a list), the names pointing at it,
 * and its ID (the config digest of a single image; the manifest digest of a list).
 */
public record StoredImage(Digest manifestDigest, String mediaType, Digest id, List<String> names,
                          String created, long size) {

    public StoredImage {
        names = List.copyOf(names);
    }

    public boolean isList() {
        return hoist.engine.image.MediaTypes.isList(mediaType);
    }

    StoredImage withNames(List<String> newNames) {
        return new StoredImage(manifestDigest, mediaType, id, newNames, created, size);
    }
}
