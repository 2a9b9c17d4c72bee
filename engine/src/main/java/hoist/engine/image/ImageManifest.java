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

    /**
     * An OCI 1.1 artifact manifest attached to {@code subject}: {@code artifactType}, the empty
     * config ({@code application/vnd.oci.empty.v1+json}, the two bytes {@code {}}), the layers
     * given (at least the empty descriptor when none, as the image spec asks) and annotations.
     *
     * @param subject      the descriptor of the manifest attached to (media type, digest, size in bytes)
     * @param artifactType the artifact's media type ({@code application/spdx+json}, ...)
     * @param layers       the artifact's blobs; empty for an artifact that is all annotations
     * @param annotations  the artifact's annotations; empty for none
     * @see <a href="https://github.com/opencontainers/image-spec/blob/main/manifest.md#guidelines-for-artifact-usage">OCI image spec: artifact usage</a>
     */
    public static ImageManifest artifact(Descriptor subject, String artifactType, List<Descriptor> layers,
                                         Map<String, String> annotations) {
        Descriptor subjectDescriptor = new Descriptor(subject.mediaType(), subject.digest(), subject.size());
        List<Descriptor> blobs = layers.isEmpty() ? List.of(EMPTY) : layers;
        byte[] raw = ManifestWriter.imageManifest(ManifestFormat.OCI, EMPTY, blobs, annotations, subjectDescriptor, artifactType);
        return new ImageManifest(raw, MediaTypes.OCI_MANIFEST, EMPTY, blobs, annotations, subjectDescriptor, artifactType);
    }

    /** The bytes of the OCI empty descriptor's blob: {@code {}}. */
    public static final byte[] EMPTY_BYTES = {'{', '}'};

    /** The OCI empty descriptor: {@code application/vnd.oci.empty.v1+json}, 2 bytes, {@code {}}. */
    public static final Descriptor EMPTY = new Descriptor(MediaTypes.OCI_EMPTY, Digest.sha256(EMPTY_BYTES), EMPTY_BYTES.length);

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
