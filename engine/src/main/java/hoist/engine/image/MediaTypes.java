package hoist.engine.image;

import java.util.Set;

/** Every media type the OCI image specification and Docker's image formats define, by name. */
public final class MediaTypes {

    private MediaTypes() {
    }

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String OCI_LAYER_NONDISTRIBUTABLE = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    public static final String OCI_LAYER_NONDISTRIBUTABLE_GZIP = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    public static final String OCI_LAYER_NONDISTRIBUTABLE_ZSTD = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_LAYER_ZSTD = "application/vnd.docker.image.rootfs.diff.tar.zstd";
    public static final String DOCKER_FOREIGN_LAYER_GZIP = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    public static final String DOCKER_PLUGIN_CONFIG = "application/vnd.docker.plugin.v1+json";

    public static final Set<String> SINGLE_IMAGE_MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
    public static final Set<String> LISTS = Set.of(OCI_INDEX, DOCKER_LIST);

    /** Every image and list type; what a location that stores any of them accepts. */
    public static final java.util.List<String> IMAGES_AND_LISTS = java.util.List.of(OCI_MANIFEST, DOCKER_MANIFEST, OCI_INDEX, DOCKER_LIST);

    /** The Accept list a reader of any manifest kind sends. */
    public static final java.util.List<String> ALL_MANIFESTS = java.util.List.of(
            OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST, DOCKER_SCHEMA1_SIGNED, DOCKER_SCHEMA1);

    public static boolean isList(String mediaType) {
        return LISTS.contains(mediaType);
    }

    public static boolean isOci(String mediaType) {
        return mediaType != null && mediaType.startsWith("application/vnd.oci.");
    }

    /** Layers whose bytes may not be redistributed: never uploaded, kept as references. */
    public static boolean isNonDistributable(String mediaType) {
        return mediaType.equals(DOCKER_FOREIGN_LAYER_GZIP) || mediaType.startsWith("application/vnd.oci.image.layer.nondistributable.");
    }
}
