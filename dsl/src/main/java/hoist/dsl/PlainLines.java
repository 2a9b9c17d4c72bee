package hoist.dsl;

import hoist.engine.copy.CopyEvent;
import hoist.engine.copy.ProgressListener;

import java.io.PrintWriter;

/**
 * Progress as plain lines in podman's wording: for logs, pipes and {@code --progress=plain}. A
 * copy to several destinations names the destination on every line that concerns one of them.
 */
public final class PlainLines implements ProgressListener {

    private final PrintWriter err;
    private boolean severalDestinations;

    public PlainLines(PrintWriter err) {
        this.err = err;
    }

    @Override
    public synchronized void on(CopyEvent event) {
        if (event instanceof CopyEvent.CopyStarted started) {
            severalDestinations = started.destinations().size() > 1;
        }
        String line = severalDestinations ? lineNamingDestination(event) : line(event);
        if (line != null) {
            err.println(line);
            err.flush();
        }
    }

    /** As {@link #line}, with the destination named where the event concerns one of several. */
    public static String lineNamingDestination(CopyEvent event) {
        if (event instanceof CopyEvent.BlobSkipped e) {
            return line(event) + " at " + e.destination();
        }
        if (event instanceof CopyEvent.BlobMounted e) {
            return line(event) + " at " + e.destination();
        }
        if (event instanceof CopyEvent.WritingManifest e) {
            return "Writing manifest to " + e.destination();
        }
        if (event instanceof CopyEvent.StoringSignatures e) {
            return "Storing signatures at " + e.destination();
        }
        return line(event);
    }

    /** The line podman prints for {@code event}, or null for events it shows no line for. */
    public static String line(CopyEvent event) {
        if (event instanceof CopyEvent.GettingSignatures) {
            return "Getting image source signatures";
        }
        if (event instanceof CopyEvent.CopyingList e && e.platforms().isEmpty()) {
            return "Copying manifest list " + e.list() + " alone, none of its images";
        }
        if (event instanceof CopyEvent.CopyingList e) {
            return "Copying manifest list " + e.list() + " with " + e.platforms().size()
                    + (e.platforms().size() == 1 ? " image (" : " images (") + String.join(", ", e.platforms()) + ")";
        }
        if (event instanceof CopyEvent.ChoosingInstance e) {
            return "Copying only the " + e.platform() + " image " + e.instance() + " of manifest list " + e.list()
                    + " (--all copies the list)";
        }
        if (event instanceof CopyEvent.CopyingInstance e) {
            return "Copying image " + e.digest() + " (" + e.index() + "/" + e.count() + ")";
        }
        if (event instanceof CopyEvent.CopyingReferrer e) {
            return "Copying " + (e.tag() != null ? "attached " + e.tag() + " " + e.referrer()
                    : "referrer " + e.referrer() + (e.artifactType() != null ? " (" + e.artifactType() + ")" : ""))
                    + " of " + e.subject();
        }
        if (event instanceof CopyEvent.BlobStarted e) {
            return (e.config() ? "Copying config " : "Copying blob ") + e.blob().digest();
        }
        if (event instanceof CopyEvent.BlobSkipped e) {
            return "Copying blob " + e.blob().digest() + " skipped: already exists";
        }
        if (event instanceof CopyEvent.BlobMounted e) {
            return "Copying blob " + e.blob().digest() + " mounted from " + e.from();
        }
        if (event instanceof CopyEvent.ForeignLayerSkipped e) {
            return "Skipping foreign layer " + e.blob().digest() + " copy to " + e.destination();
        }
        if (event instanceof CopyEvent.WritingManifest) {
            return "Writing manifest to image destination";
        }
        if (event instanceof CopyEvent.StoringSignatures) {
            return "Storing signatures";
        }
        if (event instanceof CopyEvent.ManifestFormatFallback e) {
            return e.destination() + " refused the manifest type " + e.refused() + " (" + e.reason() + "); writing "
                    + e.instead() + " instead";
        }
        return null;
    }
}
