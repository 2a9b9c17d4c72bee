package hoist.dsl;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.copy.CopyEvent;
import hoist.engine.copy.CopyResult;
import hoist.engine.copy.DestinationResult;
import hoist.engine.copy.ProgressListener;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --progress=json}: one JSON object per line, for CI logs and tools. Every object has
 * {@code "event"} and names where it happens: {@code "destination"} for what concerns one
 * destination (a blob skipped or mounted there, its manifest written, its failure, its end),
 * {@code "destinations"} (all of them) for what is shared (a blob read and sent to every one).
 * Byte progress is reported at most twice a second per blob, and at its end.
 *
 * <pre>{"event":"blob-started","digest":"sha256:...","size":1048576,"kind":"layer","destinations":["docker://h/app:1"]}</pre>
 */
public final class JsonProgress implements ProgressListener {

    private static final long PROGRESS_INTERVAL_NANOS = 500_000_000L;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final PrintWriter err;
    private final List<String> destinations;
    private final Map<Digest, Long> lastProgress = new HashMap<>();

    /** Lines to {@code err} for a copy to {@code destinations} (as the user named them). */
    public JsonProgress(PrintWriter err, List<String> destinations) {
        this.err = err;
        this.destinations = List.copyOf(destinations);
    }

    @Override
    public synchronized void on(CopyEvent event) {
        print(line(event));
    }

    private ObjectNode line(CopyEvent event) {
        if (event instanceof CopyEvent.CopyStarted e) {
            return shared("copy-started").put("source", e.source());
        }
        if (event instanceof CopyEvent.GettingSignatures) {
            return shared("getting-signatures");
        }
        if (event instanceof CopyEvent.CopyingList e) {
            ObjectNode n = shared("copying-list").put("digest", e.list().toString());
            e.platforms().forEach(n.putArray("platforms")::add);
            return n;
        }
        if (event instanceof CopyEvent.ChoosingInstance e) {
            return shared("choosing-instance").put("list", e.list().toString()).put("digest", e.instance().toString())
                    .put("platform", e.platform());
        }
        if (event instanceof CopyEvent.CopyingInstance e) {
            return shared("copying-instance").put("index", e.index()).put("count", e.count())
                    .put("digest", e.digest().toString());
        }
        if (event instanceof CopyEvent.BlobStarted e) {
            return shared("blob-started").put("digest", e.blob().digest().toString()).put("size", e.blob().size())
                    .put("kind", e.config() ? "config" : "layer");
        }
        if (event instanceof CopyEvent.BlobProgress e) {
            return progress(e);
        }
        if (event instanceof CopyEvent.BlobDone e) {
            lastProgress.remove(e.blob());
            return shared("blob-done").put("digest", e.blob().toString()).put("bytes", e.bytes());
        }
        if (event instanceof CopyEvent.BlobSkipped e) {
            return at("blob-skipped", e.destination()).put("digest", e.blob().digest().toString());
        }
        if (event instanceof CopyEvent.BlobMounted e) {
            return at("blob-mounted", e.destination()).put("digest", e.blob().digest().toString()).put("from", e.from());
        }
        if (event instanceof CopyEvent.ForeignLayerSkipped e) {
            return at("foreign-layer-skipped", e.destination()).put("digest", e.blob().digest().toString());
        }
        if (event instanceof CopyEvent.WritingManifest e) {
            return at("writing-manifest", e.destination());
        }
        if (event instanceof CopyEvent.StoringSignatures e) {
            return at("storing-signatures", e.destination());
        }
        if (event instanceof CopyEvent.ManifestFormatFallback e) {
            return at("manifest-format-fallback", e.destination()).put("refused", e.refused()).put("instead", e.instead())
                    .put("reason", e.reason());
        }
        if (event instanceof CopyEvent.DestinationFailed e) {
            return at("destination-failed", e.destination()).put("message", e.message());
        }
        return null;
    }

    /** The last events: {@code "copied"} with the manifest digest written at each destination that succeeded. */
    public synchronized void finished(CopyResult result) {
        for (DestinationResult d : result.destinations()) {
            if (d.succeeded()) {
                print(at("copied", d.destination()).put("digest", d.digest().toString())
                        .put("bytesUploaded", d.bytesUploaded()));
            }
        }
    }

    private ObjectNode progress(CopyEvent.BlobProgress e) {
        long now = System.nanoTime();
        Long last = lastProgress.get(e.blob());
        if (e.done() < e.total() && last != null && now - last < PROGRESS_INTERVAL_NANOS) {
            return null;
        }
        lastProgress.put(e.blob(), now);
        return shared("blob-progress").put("digest", e.blob().toString()).put("done", e.done()).put("total", e.total());
    }

    private ObjectNode shared(String name) {
        ObjectNode n = NODES.objectNode().put("event", name);
        destinations.forEach(n.putArray("destinations")::add);
        return n;
    }

    private static ObjectNode at(String name, String destination) {
        return NODES.objectNode().put("event", name).put("destination", destination);
    }

    private void print(ObjectNode line) {
        if (line != null) {
            err.println(new String(Json.write(line), StandardCharsets.UTF_8));
            err.flush();
        }
    }
}
