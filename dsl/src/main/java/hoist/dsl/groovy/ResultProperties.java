package hoist.dsl.groovy;

import hoist.engine.copy.BlobOutcome;
import hoist.engine.copy.CopyResult;
import hoist.engine.copy.DestinationResult;
import hoist.engine.image.Digest;

import java.util.List;

/**
 * Groovy properties for the engine's result records, so scripts read what the engine computes
 * as plainly as the records' own fields: {@code r.digest}, {@code r.succeeded},
 * {@code d.bytesUploaded}, {@code b.outcome}. Registered as a Groovy extension module; the engine
 * itself knows nothing of Groovy.
 */
public final class ResultProperties {

    private ResultProperties() {
    }

    public static Digest getDigest(CopyResult self) {
        return self.digest();
    }

    public static boolean getSucceeded(CopyResult self) {
        return self.succeeded();
    }

    /** Groovy truth: a copy is true when every destination succeeded ({@code if (e.result)}). */
    public static boolean asBoolean(CopyResult self) {
        return self.succeeded();
    }

    /** Groovy truth: a destination is true when it succeeded ({@code r.destinations.findAll { it }}). */
    public static boolean asBoolean(DestinationResult self) {
        return self.succeeded();
    }

    public static List<DestinationResult> getFailures(CopyResult self) {
        return self.failures();
    }

    public static boolean getSucceeded(DestinationResult self) {
        return self.succeeded();
    }

    public static long getBytesUploaded(DestinationResult self) {
        return self.bytesUploaded();
    }

    public static long getUploadedCount(DestinationResult self) {
        return self.uploadedCount();
    }

    public static long getReusedCount(DestinationResult self) {
        return self.reusedCount();
    }

    public static long getMountedCount(DestinationResult self) {
        return self.mountedCount();
    }

    /** {@code uploaded}, {@code mounted}, {@code reused} or {@code foreign}. */
    public static String getOutcome(BlobOutcome self) {
        if (self instanceof BlobOutcome.Uploaded) {
            return "uploaded";
        }
        if (self instanceof BlobOutcome.Mounted) {
            return "mounted";
        }
        return self instanceof BlobOutcome.Reused ? "reused" : "foreign";
    }

    /** The bytes sent for the blob: 0 unless it was uploaded. */
    public static long getBytes(BlobOutcome self) {
        return self instanceof BlobOutcome.Uploaded u ? u.bytes() : 0;
    }
}
