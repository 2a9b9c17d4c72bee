package hoist.dsl.command;

import hoist.dsl.JsonProgress;
import hoist.dsl.PlainLines;
import hoist.dsl.Session;
import hoist.engine.HoistException;
import hoist.engine.copy.ProgressListener;
import hoist.engine.transport.ImageReference;
import picocli.CommandLine.Option;

import java.util.List;

/** How a copy shows its progress: declared once for push, pull, copy and manifest push. */
public final class ProgressFlags {

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Option(names = "--progress", paramLabel = "MODE", completionCandidates = ProgressNames.class,
            description = "auto (bars on a terminal, else lines), plain (lines), json (one JSON event per line), none.")
    String progress;

    public boolean quiet() {
        return quiet;
    }

    /**
     * The listener showing a copy's progress on the session's stderr: nothing with {@code --quiet}
     * or {@code none}; the session's own (bars or lines) for {@code auto}; podman's lines for
     * {@code plain}; for {@code json} one event per line naming {@code destinations}.
     */
    public ProgressListener listener(Session session, List<ImageReference> destinations) {
        String mode = progress == null ? "auto" : progress;
        if (quiet || mode.equals("none")) {
            return ProgressListener.NONE;
        }
        return switch (mode) {
            case "auto" -> session.progress(false);
            case "plain" -> new PlainLines(session.err());
            case "json" -> new JsonProgress(session.err(), destinations.stream().map(ImageReference::text).toList());
            default -> throw HoistException.usage("--progress must be auto, plain, json or none, got \"" + mode + "\"");
        };
    }

    /** The --progress values offered by completion. */
    static final class ProgressNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("auto", "plain", "json", "none").iterator();
        }
    }
}
