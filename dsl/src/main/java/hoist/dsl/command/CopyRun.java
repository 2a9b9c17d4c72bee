package hoist.dsl.command;

import hoist.dsl.Session;
import hoist.dsl.CopyFailedException;
import hoist.engine.compress.Compression;
import hoist.engine.copy.CopyOptions;
import hoist.engine.copy.CopyResult;
import hoist.engine.copy.Copier;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.TransportContext;

import java.util.List;

/** Runs a copy for push, pull and copy alike, and turns failed destinations into the command's error. */
public final class CopyRun {

    private CopyRun() {
    }

    public static CopyResult run(Session session, ImageReference source, List<ImageReference> destinations,
                          CopyOptions options, boolean quiet) {
        return run(session, session.context(), source, destinations, options, quiet);
    }

    public static CopyResult run(Session session, TransportContext context, ImageReference source,
                          List<ImageReference> destinations, CopyOptions options, boolean quiet) {
        return run(session, context, source, destinations, options, quiet, List.of());
    }

    /** As above; a list gains instances in the compressions of {@code addCompression} ({@code manifest push}). */
    public static CopyResult run(Session session, TransportContext context, ImageReference source,
                          List<ImageReference> destinations, CopyOptions options, boolean quiet,
                          List<Compression> addCompression) {
        Copier copier = new Copier(context, session.progress(quiet));
        CopyResult result = copier.copy(source, destinations, options, addCompression);
        if (!result.succeeded()) {
            throw new CopyFailedException(result);
        }
        return result;
    }
}
