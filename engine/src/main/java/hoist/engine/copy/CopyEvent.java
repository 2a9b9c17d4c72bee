package hoist.engine.copy;

import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;

/** What a copy reports while it runs; the shell renders these as lines or bars. */
public sealed interface CopyEvent {

    /** A copy begins: from {@code source} to {@code destinations}, as the user named them, in that order. */
    record CopyStarted(String source, java.util.List<String> destinations) implements CopyEvent {
        public CopyStarted {
            destinations = java.util.List.copyOf(destinations);
        }
    }

    /** Signatures of the source are being read. */
    record GettingSignatures() implements CopyEvent {
    }

    /**
     * A manifest list is copied with {@code platforms.size()} of its images (their platforms as
     * {@code os/arch[/variant]}, in list order; empty when the list is copied alone), then the list itself.
     */
    record CopyingList(Digest list, java.util.List<String> platforms) implements CopyEvent {
        public CopyingList {
            platforms = java.util.List.copyOf(platforms);
        }
    }

    /** Only the image for {@code platform} (os/arch[/variant]) is copied out of the list {@code list}; no list is written. */
    record ChoosingInstance(Digest list, Digest instance, String platform) implements CopyEvent {
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

    /**
     * A manifest attached to {@code subject} is being copied: an OCI 1.1 referrer of
     * {@code artifactType} (null for one naming none), or cosign's {@code tag} (null for a referrer).
     */
    record CopyingReferrer(Digest referrer, String artifactType, String tag, Digest subject) implements CopyEvent {
    }

    record WritingManifest(String destination) implements CopyEvent {
    }

    record StoringSignatures(String destination) implements CopyEvent {
    }

    /**
     * {@code destination} refused a manifest of type {@code refused} for its type ({@code reason}:
     * what it said); the image is written there as {@code instead}, a format it can be converted to.
     */
    record ManifestFormatFallback(String destination, String refused, String instead, String reason) implements CopyEvent {
    }

    /** One destination failed; the others go on. */
    record DestinationFailed(String destination, String message) implements CopyEvent {
    }
}
