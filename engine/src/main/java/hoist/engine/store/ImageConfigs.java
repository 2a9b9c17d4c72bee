package hoist.engine.store;

import hoist.engine.image.Digest;
import hoist.engine.image.ImageConfig;

import java.io.IOException;
import java.time.Instant;

/** Facts read from a stored image's config. */
final class ImageConfigs {

    private ImageConfigs() {
    }

    /** When the image was made, as its config says, or now when it does not say. */
    static String created(BlobStore blobs, Digest config) throws IOException {
        String created = ImageConfig.parse(blobs.read(config)).created();
        return created == null || created.isEmpty() ? Instant.now().toString() : created;
    }
}
