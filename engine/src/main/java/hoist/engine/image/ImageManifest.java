package hoist.engine.image;

import java.util.List;
import java.util.Map;

/** One image: an OCI image manifest or a Docker schema2 manifest. */
public record ImageManifest(byte[] raw, String mediaType, Descriptor config, List<Descriptor> layers,
                            Map<String, String> annotations, Descriptor subject, String artifactType)
        implements Manifest {

    public ImageManifest {
        layers = List.copyOf(layers);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** Builds and serializes a manifest of {@code format} from its parts. */
    public static ImageManifest of(ManifestFormat format, Descriptor config, List<Descriptor> layers,
                                   Map<String, String> annotations) {
        byte[] raw = ManifestWriter.imageManifest(format, config, layers, annotations, null, null);
        return new ImageManifest(raw, format.imageMediaType(), config, layers, annotations, null, null);
    }

    /** The same manifest with other layer descriptors (and, so, other bytes). */
    public ImageManifest withLayersAndConfig(List<Descriptor> newLayers, Descriptor newConfig) {
        byte[] newRaw = ManifestWriter.imageManifest(format(), newConfig, newLayers, annotations, subject, artifactType);
        return new ImageManifest(newRaw, mediaType, newConfig, newLayers, annotations, subject, artifactType);
    }

    /** Total bytes of config and layers as stored. */
    public long contentSize() {
        return config.size() + layers.stream().mapToLong(Descriptor::size).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageManifest other && java.util.Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "ImageManifest[" + mediaType + " " + digest() + "]";
    }
}
