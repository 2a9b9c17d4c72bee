package hoist.engine.copy;

import hoist.engine.image.Digest;

import java.util.List;

/** The outcome of a copy to one or more destinations. */
public record CopyResult(String source, List<DestinationResult> destinations) {

    public CopyResult {
        destinations = List.copyOf(destinations);
    }

    /** The manifest digest written, the same at every destination that succeeded (null if none did). */
    public Digest digest() {
        return destinations.stream().filter(DestinationResult::succeeded).map(DestinationResult::digest)
                .findFirst().orElse(null);
    }

    public boolean succeeded() {
        return destinations.stream().allMatch(DestinationResult::succeeded);
    }

    public List<DestinationResult> failures() {
        return destinations.stream().filter(d -> !d.succeeded()).toList();
    }

    /** One line per destination, as the shell shows a copy's result. */
    @Override
    public String toString() {
        return String.join("\n", destinations.stream().map(DestinationResult::toString).toList());
    }
}
