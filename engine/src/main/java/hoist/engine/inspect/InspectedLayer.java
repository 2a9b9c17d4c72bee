package hoist.engine.inspect;

import hoist.engine.compress.Compression;
import hoist.engine.image.Descriptor;
import hoist.engine.image.ImageConfig;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.LayerMediaTypes;
import hoist.engine.image.MediaTypes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One layer as the manifest names it.
 *
 * @param index        1 for the base layer, counting up
 * @param compression  {@code gzip}, {@code zstd} or {@code none}, as the media type says
 * @param diffId       the uncompressed digest the config gives this layer; null when the config
 *                     does not list one for it
 * @param urls         where a non-distributable layer's bytes live
 */
public record InspectedLayer(int index, String digest, String mediaType, long size, String compression,
                             boolean nonDistributable, Map<String, String> annotations, List<String> urls,
                             String diffId) {

    public InspectedLayer {
        annotations = Map.copyOf(annotations);
        urls = List.copyOf(urls);
    }

    static List<InspectedLayer> of(ImageManifest image, ImageConfig config) {
        List<String> diffIds = new ArrayList<>();
        config.json().path("rootfs").path("diff_ids").forEach(d -> diffIds.add(d.asText()));
        List<InspectedLayer> layers = new ArrayList<>();
        for (int i = 0; i < image.layers().size(); i++) {
            Descriptor d = image.layers().get(i);
            layers.add(new InspectedLayer(i + 1, d.digest().toString(), d.mediaType(), d.size(),
                    compressionOf(d.mediaType()), MediaTypes.isNonDistributable(d.mediaType()),
                    d.annotations(), d.urls(), i < diffIds.size() ? diffIds.get(i) : null));
        }
        return layers;
    }

    /** Known layer types by name; an artifact's blob by its media type's suffix. */
    static String compressionOf(String mediaType) {
        Compression known = LayerMediaTypes.compressionOf(mediaType);
        if (known != null) {
            return known.flag();
        }
        if (mediaType.endsWith("+gzip") || mediaType.endsWith(".gzip")) {
            return Compression.GZIP.flag();
        }
        if (mediaType.endsWith("+zstd") || mediaType.endsWith(".zstd")) {
            return Compression.ZSTD.flag();
        }
        return Compression.NONE.flag();
    }
}
