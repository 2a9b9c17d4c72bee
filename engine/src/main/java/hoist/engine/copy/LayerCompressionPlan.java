package hoist.engine.copy;

import hoist.engine.compress.Compression;
import hoist.engine.compress.ZstdChunked;
import hoist.engine.image.Descriptor;
import hoist.engine.image.LayerMediaTypes;
import hoist.engine.transport.ImageDestination;

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

    static Step plan(Descriptor layer, ImageDestination destination, CopyOptions options) {
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
}
