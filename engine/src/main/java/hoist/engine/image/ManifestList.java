package hoist.engine.image;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A list of images for several platforms: an OCI image index or a Docker manifest list. */
public record ManifestList(byte[] raw, String mediaType, List<Descriptor> manifests,
                           Map<String, String> annotations, Descriptor subject, String artifactType)
        implements Manifest {

    public ManifestList {
        manifests = List.copyOf(manifests);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public static ManifestList of(ManifestFormat format, List<Descriptor> manifests, Map<String, String> annotations) {
        byte[] raw = ManifestWriter.list(format, manifests, annotations);
        return new ManifestList(raw, format.listMediaType(), manifests, annotations, null, null);
    }

    /** The same list with other entries (children rewritten by a copy). */
    public ManifestList withManifests(ManifestFormat format, List<Descriptor> newManifests) {
        byte[] newRaw = ManifestWriter.list(format, newManifests, annotations);
        return new ManifestList(newRaw, format.listMediaType(), newManifests, annotations, subject, artifactType);
    }

    /** The same list with other annotations of its own. */
    public ManifestList withAnnotations(ManifestFormat format, Map<String, String> newAnnotations) {
        byte[] newRaw = ManifestWriter.list(format, manifests, newAnnotations);
        return new ManifestList(newRaw, format.listMediaType(), manifests, newAnnotations, subject, artifactType);
    }

    /**
     * The entry for {@code platform}, as podman chooses: the first exact match, variant included
     * where both name one.
     */
    public Optional<Descriptor> choose(Platform platform) {
        return manifests.stream().filter(d -> platform.accepts(d.platform())).findFirst();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ManifestList other && java.util.Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "ManifestList[" + mediaType + " " + digest() + "]";
    }
}
