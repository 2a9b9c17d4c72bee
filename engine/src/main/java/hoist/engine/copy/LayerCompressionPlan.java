package hoist.engine.copy;

import hoist.engine.compress.Compression;
import hoist.engine.compress.ZstdChunked;
import hoist.engine.image.Descriptor;
import hoist.engine.image.LayerMediaTypes;
import hoist.engine.image.ManifestFormat;
import hoist.engine.transport.ImageDestination;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides the compression each layer gets at a destination: as stored, decompressed for locations
 * that keep plain tars, compressed (or recompressed) for locations that compress, as the user asked.
 */
final class LayerCompressionPlan {

    /**
     * One layer's way to one destination. {@code source} and {@code target} are null for blobs of
     * unknown type, which are copied as they are.
     */
    record Step(Compression source, Compression target, boolean recompress) {

        static final Step OPAQUE = new Step(null, null, false);

        /** Whether the bytes at the destination differ from the source's. */
        boolean changesBytes() {
            return recompress || source != target;
        }
    }

    private LayerCompressionPlan() {
    }

    /**
     * The step for {@code layer} at {@code destination}. With {@code preserve} (the manifest must
     * stay as read) layers keep their compression wherever the destination allows it; what the
     * user asked for explicitly is still planned, for the caller to refuse as a change.
     */
    static Step plan(Descriptor layer, ImageDestination destination, CopyOptions options, boolean preserve) {
        Compression source = LayerMediaTypes.compressionOf(layer.mediaType());
        if (source == null) {
            return Step.OPAQUE;
        }
        if (BlobCopy.isForeign(layer) && destination.acceptsForeignLayerUrls()) {
            return new Step(source, source, false); // referenced by URL, never re-made
        }
        Compression required = destination.requiredLayerCompression();
        if (required != null) {
            return new Step(source, required, false);
        }
        if (preserve && (options.compression() == null || !destination.compressesLayers())) {
            return new Step(source, source, options.forceCompression() && destination.compressesLayers());
        }
        if (!destination.compressesLayers() || options.disableCompression()) {
            return new Step(source, source, false);
        }
        Compression wanted = options.compression() == null ? Compression.GZIP : options.compression();
        if (source == Compression.NONE) {
            return new Step(source, wanted, false);
        }
        if (options.compression() != null && options.compression() != source) {
            // a zstd:chunked layer is a zstd layer, and one with a table of contents is zstd:chunked: kept unless forced
            boolean kept = options.compression().base() == source
                    && (options.compression() != Compression.ZSTD_CHUNKED || ZstdChunked.isChunked(layer.annotations()));
            return kept && !options.forceCompression() ? new Step(source, source, false) : new Step(source, wanted, false);
        }
        return new Step(source, source, options.forceCompression());
    }

    /**
     * {@code steps} made describable in {@code format}: a layer that would be written in a
     * compression the format cannot name (zstd in Docker schema2) is written in the compression
     * the user asked for instead, when that one can be named; layers are judged as they will be
     * written, not as read. Without such a request the steps are returned as they are (and the
     * format is refused for them).
     */
    static List<Step> describableIn(ManifestFormat format, List<Step> steps, CopyOptions options) {
        Compression asked = options.compression();
        if (format != ManifestFormat.V2S2 || !inSchema2(asked) || options.disableCompression()) {
            return steps;
        }
        List<Step> result = new ArrayList<>(steps.size());
        for (Step step : steps) {
            result.add(step.target() != null && !inSchema2(step.target()) ? new Step(step.source(), asked, false) : step);
        }
        return result;
    }

    /** Whether a Docker schema2 manifest has a layer media type for {@code compression}. */
    private static boolean inSchema2(Compression compression) {
        return compression == Compression.NONE || compression == Compression.GZIP;
    }
}
