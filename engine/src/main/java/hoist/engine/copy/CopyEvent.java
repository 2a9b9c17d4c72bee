package hoist.engine.copy;

import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;

/** What a copy reports while it runs; the shell renders these as lines or bars. */
public sealed interface CopyEvent {

    /** Signatures of the source are being read. */
    record GettingSignatures() implements CopyEvent {
    }

    /** An instance of a list is being copied ({@code index} counts from 1). */
    record CopyingInstance(int index, int count, Digest digest) implements CopyEvent {
    }

    /** Bytes of a blob start to move; {@code config} tells a config from a layer. */
    record BlobStarted(Descriptor blob, boolean config) implements CopyEvent {
    }

    /** {@code done} bytes of the blob have been read from the source so far. */
    record BlobProgress(Digest blob, long done, long total) implements CopyEvent {
    }

    /** The blob is finished; {@code bytes} is what was sent to each destination. */
    record BlobDone(Digest blob, long bytes) implements CopyEvent {
    }

    /** A destination already had the blob; nothing was sent to it. */
    record BlobSkipped(Descriptor blob, String destination) implements CopyEvent {
    }

    /** A destination mounted the blob from another repository; nothing was sent to it. */
    record BlobMounted(Descriptor blob, String destination, String from) implements CopyEvent {
    }

    /** A foreign (non-distributable) layer is left out at a destination that takes it by URL. */
    record ForeignLayerSkipped(Descriptor blob, String destination) implements CopyEvent {
    }

    record WritingManifest(String destination) implements CopyEvent {
    }

    record StoringSignatures(String destination) implements CopyEvent {
    }

    /** One destination failed; the others go on. */
    record DestinationFailed(String destination, String message) implements CopyEvent {
    }
}
