package hoist.engine.copy;

import hoist.engine.image.Digest;

/** What happened to one blob at one destination. */
public sealed interface BlobOutcome {

    Digest digest();

    /** The bytes were sent. */
    record Uploaded(Digest digest, long bytes) implements BlobOutcome {
    }

    /** The destination mounted the blob from another repository of the same registry. */
    record Mounted(Digest digest, String from) implements BlobOutcome {
    }

    /** A foreign layer, named by URL and not copied to this destination. */
    record Foreign(Digest digest) implements BlobOutcome {
    }

    /** The destination had the blob already. */
    record Reused(Digest digest) implements BlobOutcome {
    }
}
