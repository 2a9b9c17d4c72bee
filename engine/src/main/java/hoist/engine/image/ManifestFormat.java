package hoist.engine.image;

import hoist.engine.HoistException;

/** The manifest families a copy can write, named as {@code --format} names them. */
public enum ManifestFormat {
    OCI("oci", MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX),
    V2S2("v2s2", MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_LIST);

    private final String flag;
    private final String imageMediaType;
    private final String listMediaType;

    ManifestFormat(String flag, String imageMediaType, String listMediaType) {
        this.flag = flag;
        this.imageMediaType = imageMediaType;
        this.listMediaType = listMediaType;
    }

    public String flag() {
        return flag;
    }

    public String imageMediaType() {
        return imageMediaType;
    }

    public String listMediaType() {
        return listMediaType;
    }

    public String mediaType(boolean list) {
        return list ? listMediaType : imageMediaType;
    }

    /** Parses a {@code --format} value. */
    public static ManifestFormat parse(String text) {
        return switch (text) {
            case "oci" -> OCI;
            case "v2s2", "docker" -> V2S2;
            case "v2s1" -> throw new HoistException(
                    "--format v2s1: Docker schema1 manifests are deprecated and hoist does not write them; use v2s2 or oci");
            default -> throw HoistException.usage("unknown --format \"" + text + "\": expected oci, v2s2 or v2s1");
        };
    }

    public static ManifestFormat ofMediaType(String mediaType) {
        return switch (mediaType) {
            case MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX -> OCI;
            case MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_LIST -> V2S2;
            default -> throw new IllegalArgumentException("not a manifest media type: " + mediaType);
        };
    }
}
