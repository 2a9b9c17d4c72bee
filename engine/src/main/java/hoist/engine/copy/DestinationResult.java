package hoist.engine.copy;

import hoist.engine.image.Digest;

import java.util.List;

/**
 * How the copy went at one destination: the manifest digest written there, or the failure, and
 * what happened to every blob.
 */
public record DestinationResult(String destination, Digest digest, String failure, List<BlobOutcome> blobs) {

    public DestinationResult {
        blobs = List.copyOf(blobs);
    }

    public boolean succeeded() {
        return failure == null;
    }

    public long bytesUploaded() {
        return blobs.stream().mapToLong(b -> b instanceof BlobOutcome.Uploaded u ? u.bytes() : 0).sum();
    }

    public long uploadedCount() {
        return blobs.stream().filter(b -> b instanceof BlobOutcome.Uploaded).count();
    }

    public long mountedCount() {
        return blobs.stream().filter(b -> b instanceof BlobOutcome.Mounted).count();
    }

    public long reusedCount() {
        return blobs.stream().filter(b -> b instanceof BlobOutcome.Reused).count();
    }

    /** {@code DEST DIGEST: N blobs sent (SIZE, e.g. 629 MB), M mounted, K already there}, or {@code failed: FAILURE}. */
    @Override
    public String toString() {
        if (!succeeded()) {
            return "failed: " + failure; // the failure names the destination
        }
        return destination + " " + digest + ": " + uploadedCount() + " blobs sent ("
                + hoist.engine.inspect.HumanSize.of(bytesUploaded()) + "), "
                + mountedCount() + " mounted, " + reusedCount() + " already there";
    }
}
