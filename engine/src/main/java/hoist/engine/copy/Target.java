package hoist.engine.copy;

import hoist.engine.image.Manifest;
import hoist.engine.transport.ImageDestination;

import java.util.ArrayList;
import java.util.List;

/**
 * One destination of a copy and how it is going: the blobs it received, and its failure once it
 * has failed (after which the copy leaves it alone and it is aborted at the end).
 */
final class Target {

    private final ImageDestination destination;
    private final ProgressListener listener;
    private final DigestPreservation preservation;
    private final List<BlobOutcome> outcomes = new ArrayList<>();
    private volatile String failure;
    private final hoist.engine.sign.Signing signing;
    private volatile Manifest top;
    private volatile boolean signed;

    Target(ImageDestination destination, ProgressListener listener, CopyOptions options, hoist.engine.sign.Signing signing) {
        this.destination = destination;
        this.listener = listener;
        this.preservation = DigestPreservation.of(destination, options);
        this.signing = signing;
    }

    /** Where this destination's signatures go and what new one it gets. */
    hoist.engine.sign.Signing signing() {
        return signing;
    }

    /** Whether this destination must receive the manifests as read, and why. */
    DigestPreservation preservation() {
        return preservation;
    }

    /** Notes the top-level manifest put here (not yet committed), and whether signatures of it were put too. */
    void wroteTop(Manifest manifest, boolean withSignatures) {
        top = manifest;
        signed = withSignatures;
    }

    /** The top-level manifest put here, or null before one was. */
    Manifest top() {
        return top;
    }

    /** Whether signatures of {@link #top()} were put here. */
    boolean signed() {
        return signed;
    }

    ImageDestination destination() {
        return destination;
    }

    String name() {
        return destination.reference().text();
    }

    boolean alive() {
        return failure == null;
    }

    String failure() {
        return failure;
    }

    synchronized void record(BlobOutcome outcome) {
        outcomes.add(outcome);
    }

    synchronized List<BlobOutcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** Marks this destination failed with a message naming it (once); the first failure wins. */
    void fail(Throwable cause) {
        fail(null, cause);
    }

    /**
     * As {@link #fail(Throwable)}, the message also naming {@code what} was being written when it
     * failed ({@code blob sha256:... of SOURCE}) unless the cause names it already.
     */
    void fail(String what, Throwable cause) {
        String message = CopyFailures.describe(cause);
        String prefix = name() + ": ";
        if (message.startsWith(prefix)) {
            message = message.substring(prefix.length()); // named below, once, first
        }
        if (what != null) {
            message = CopyFailures.named(what, message);
        }
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = CopyFailures.named(name(), message);
        }
        listener.on(new CopyEvent.DestinationFailed(name(), failure));
    }
}
