package hoist.engine.image;

import hoist.engine.compress.Compression;

/** The layer media type for a manifest format and compression, and the way back. */
public final class LayerMediaTypes {

    private LayerMediaTypes() {
    }

    /** What compression a layer media type declares; null when the type is not a known layer type. */
    public static Compression compressionOf(String mediaType) {
        return switch (mediaType) {
            case MediaTypes.OCI_LAYER, MediaTypes.OCI_LAYER_NONDISTRIBUTABLE, MediaTypes.DOCKER_LAYER -> Compression.NONE;
            case MediaTypes.OCI_LAYER_GZIP, MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_GZIP, MediaTypes.DOCKER_LAYER_GZIP,
                 MediaTypes.DOCKER_FOREIGN_LAYER_GZIP -> Compression.GZIP;
            case MediaTypes.OCI_LAYER_ZSTD, MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_ZSTD, MediaTypes.DOCKER_LAYER_ZSTD -> Compression.ZSTD;
            default -> null;
        };
    }

    public static boolean isLayer(String mediaType) {
        return compressionOf(mediaType) != null;
    }

    /**
     * The media type a layer gets in {@code format} with {@code compression}.
     *
     * @throws ManifestConversionException when the format cannot say it (zstd in schema2)
     */
    public static String of(ManifestFormat format, Compression compression, boolean nonDistributable) {
        return switch (format) {
            case OCI -> switch (compression) {
                case NONE -> nonDistributable ? MediaTypes.OCI_LAYER_NONDISTRIBUTABLE : MediaTypes.OCI_LAYER;
                case GZIP -> nonDistributable ? MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_GZIP : MediaTypes.OCI_LAYER_GZIP;
                case ZSTD, ZSTD_CHUNKED -> nonDistributable ? MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_ZSTD : MediaTypes.OCI_LAYER_ZSTD;
            };
            case V2S2 -> switch (compression) {
                case NONE -> MediaTypes.DOCKER_LAYER;
                case GZIP -> nonDistributable ? MediaTypes.DOCKER_FOREIGN_LAYER_GZIP : MediaTypes.DOCKER_LAYER_GZIP;
                case ZSTD, ZSTD_CHUNKED -> throw new ManifestConversionException(
                        "zstd-compressed layers cannot be stored in a Docker schema2 manifest");
            };
        };
    }
}
