package hoist.engine.image;

import hoist.engine.compress.Compression;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Conversion of single-image manifests between OCI and Docker schema2: the manifest, config and
 * layer media types change; digests of config and layers do not.
 */
public final class ManifestConversion {

    private ManifestConversion() {
    }

    /**
     * The manifest in {@code target} format. Layers keep their compression; a layer that
     * {@code target} cannot describe (zstd in schema2) raises {@link ManifestConversionException}.
     */
    public static ImageManifest convert(ImageManifest manifest, ManifestFormat target) {
        if (manifest.format() == target) {
            return manifest;
        }
        requireImageConfig(manifest, target);
        List<Descriptor> layers = new ArrayList<>();
        for (Descriptor layer : manifest.layers()) {
            layers.add(convertLayer(layer, target));
        }
        String configType = target == ManifestFormat.OCI ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG;
        Descriptor config = stripForDocker(manifest.config().withMediaType(configType), target);
        Map<String, String> annotations = target == ManifestFormat.OCI ? manifest.annotations() : Map.of();
        return ImageManifest.of(target, config, layers, annotations);
    }

    /** Whether {@link #convert} would succeed. */
    public static boolean canConvert(ImageManifest manifest, ManifestFormat target) {
        try {
            convert(manifest, target);
            return true;
        } catch (ManifestConversionException e) {
            return false;
        }
    }

    static Descriptor convertLayer(Descriptor layer, ManifestFormat target) {
        Compression compression = LayerMediaTypes.compressionOf(layer.mediaType());
        if (compression == null) {
            throw new ManifestConversionException("layer " + layer.digest() + " has media type \"" + layer.mediaType()
                    + "\", which has no " + (target == ManifestFormat.OCI ? "OCI" : "Docker schema2") + " equivalent");
        }
        boolean nonDistributable = MediaTypes.isNonDistributable(layer.mediaType());
        String mediaType;
        try {
            mediaType = LayerMediaTypes.of(target, compression, nonDistributable);
        } catch (ManifestConversionException e) {
            throw new ManifestConversionException("layer " + layer.digest() + " is zstd-compressed, which a Docker schema2 "
                    + "manifest cannot describe; use --format oci or --compression-format gzip");
        }
        return stripForDocker(layer.withMediaType(mediaType), target);
    }

    private static Descriptor stripForDocker(Descriptor d, ManifestFormat target) {
        return target == ManifestFormat.V2S2 ? d.withAnnotations(Map.of()) : d;
    }

    private static void requireImageConfig(ImageManifest manifest, ManifestFormat target) {
        String configType = manifest.config().mediaType();
        if (!configType.equals(MediaTypes.OCI_CONFIG) && !configType.equals(MediaTypes.DOCKER_CONFIG)) {
            throw new ManifestConversionException("manifest " + manifest.digest() + " is an artifact (config type \""
                    + configType + "\"), not an image; it cannot be converted to " + target.flag());
        }
    }
}
