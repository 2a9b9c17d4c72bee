package hoist.dsl.command;

import hoist.dsl.Session;
import hoist.dsl.CopyFailedException;
import hoist.dsl.JsonProgress;
import hoist.engine.copy.ProgressListener;
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
        return run(context, context, source, destinations, options, session.progress(quiet));
    }

    /**
     * The copy with the source read in {@code sourceContext} and the destinations written in
     * {@code destinationContext} (skopeo's {@code --src-*}/{@code --dest-*}), progress to {@code listener}.
     */
    public static CopyResult run(TransportContext sourceContext, TransportContext destinationContext, ImageReference source,
                                 List<ImageReference> destinations, CopyOptions options, ProgressListener listener) {
        return run(sourceContext, destinationContext, source, destinations, options, listener, List.of());
    }

    /** As above; a list gains instances in the compressions of {@code addCompression} ({@code manifest push}). */
    public static CopyResult run(TransportContext sourceContext, TransportContext destinationContext, ImageReference source,
                                 List<ImageReference> destinations, CopyOptions options, ProgressListener listener,
                                 List<Compression> addCompression) {
        return run(sourceContext, destinationContext, source, destinations, options, listener, addCompression,
                SigningFlags.defaults());
    }

    /** As above, signatures read, written and made as {@code signing} says ({@code --sign-by}, lookaside stores). */
    public static CopyResult run(TransportContext sourceContext, TransportContext destinationContext, ImageReference source,
                                 List<ImageReference> destinations, CopyOptions options, ProgressListener listener,
                                 List<Compression> addCompression, hoist.engine.sign.Signing signing) {
        Copier copier = new Copier(sourceContext, destinationContext, listener).withSigning(signing);
        CopyResult result = copier.copy(source, destinations, options, addCompression);
        if (listener instanceof JsonProgress json) {
            json.finished(result);
        }
        if (!result.succeeded()) {
            throw new CopyFailedException(result);
        }
        return result;
    }
}
