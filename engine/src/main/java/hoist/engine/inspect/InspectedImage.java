package hoist.engine.inspect;

import hoist.engine.HoistException;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.Platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An image as a script sees it: {@code inspect('oci:/tmp/l:app').layers.each { println it.digest }}.
 * Plain immutable values (Groovy reads record components as properties), read once and usable
 * after the source is closed.
 *
 * <p>For a list, {@code digest}, {@code mediaType}, {@code size} and {@code annotations} are the
 * list's own and {@code manifests} its entries; {@code config} and {@code layers} are those of the
 * instance for the platform inspected for, as {@code skopeo inspect} shows them (null and empty
 * when the list has none for it). {@link #instance(String)} opens any other entry.
 *
 * @param reference the reference read, {@code transport:details}; for a list's instance, the list's
 *                  reference, {@code @} and the instance's digest
 * @param digest    the manifest's digest, {@code sha256:...}
 * @param size      the manifest's size in bytes
 * @param list      whether this is an OCI index or Docker manifest list
 * @param manifests a list's entries, in order; empty for a single image
 * @param referrers what is attached to this manifest (OCI 1.1 referrers, cosign's tags), each
 *                  with its own; empty when nothing is, or when they were not looked for
 */
public record InspectedImage(String reference, String digest, String mediaType, long size, boolean list,
                             Map<String, String> annotations, List<InspectedInstance> manifests,
                             InspectedConfig config, List<InspectedLayer> layers, List<InspectedReferrer> referrers) {

    public InspectedImage {
        annotations = Map.copyOf(annotations);
        manifests = List.copyOf(manifests);
        layers = List.copyOf(layers);
        referrers = List.copyOf(referrers);
    }

    /** The navigable form of what was read; {@code platform} picks a list's default instance. */
    public static InspectedImage of(String reference, ImageContent content, Platform platform) {
        return of(reference, content, platform, Map.of());
    }

    /**
     * As {@link #of(String, ImageContent, Platform)}, each manifest with what {@code attached}
     * (by manifest digest, as {@link InspectedReferrer#attachedTo} finds it) says is attached to it.
     */
    public static InspectedImage of(String reference, ImageContent content, Platform platform,
                                    Map<hoist.engine.image.Digest, List<InspectedReferrer>> attached) {
        List<InspectedReferrer> referrers = attached.getOrDefault(content.raw().digest(), List.of());
        String digest = content.raw().digest().toString();
        String mediaType = content.manifest().mediaType();
        long size = content.raw().bytes().length;
        Map<String, String> annotations = content.manifest().annotations();
        if (content.manifest() instanceof ImageManifest image) {
            return new InspectedImage(reference, digest, mediaType, size, false, annotations, List.of(),
                    InspectedConfig.of(image.config(), content.config()), InspectedLayer.of(image, content.config()), referrers);
        }
        List<InspectedInstance> entries = new ArrayList<>();
        for (ImageContent.Instance instance : content.instances()) {
            entries.add(InspectedInstance.of(reference, instance, platform, attached));
        }
        Optional<InspectedImage> chosen = entries.stream()
                .filter(e -> e.image() != null && !e.image().list() && platform.accepts(e.platform()))
                .map(InspectedInstance::image)
                .findFirst();
        return new InspectedImage(reference, digest, mediaType, size, true, annotations, entries,
                chosen.map(InspectedImage::config).orElse(null), chosen.map(InspectedImage::layers).orElse(List.of()), referrers);
    }

    /**
     * The entry of this list named by a digest ({@code sha256:...}, or a unique prefix of its hex
     * with or without {@code sha256:}) or by a platform ({@code os/arch[/variant]}, the first
     * entry that serves it, as a pull chooses).
     */
    public InspectedImage instance(String digestOrPlatform) {
        InspectedInstance entry = entry(digestOrPlatform);
        if (entry.image() == null) {
            throw new HoistException(reference + ": instance " + entry.digest() + " cannot be read: " + entry.unavailable());
        }
        return entry.image();
    }

    private InspectedInstance entry(String digestOrPlatform) {
        if (!list) {
            throw new HoistException(reference + " is a single image, not a list; it has no instance \"" + digestOrPlatform + "\"");
        }
        if (digestOrPlatform.contains("/")) {
            Platform wanted;
            try {
                wanted = Platform.parse(digestOrPlatform);
            } catch (IllegalArgumentException e) {
                throw new HoistException(reference + ": " + e.getMessage());
            }
            return manifests.stream().filter(m -> wanted.accepts(m.platform())).findFirst()
                    .orElseThrow(() -> new HoistException(reference + " has no image for " + wanted));
        }
        String prefix = digestOrPlatform.contains(":") ? digestOrPlatform : "sha256:" + digestOrPlatform;
        List<InspectedInstance> matches = manifests.stream().filter(m -> m.digest().startsWith(prefix)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new HoistException(reference + " has no instance \"" + digestOrPlatform + "\"");
        }
        return matches.stream().filter(m -> m.digest().equals(prefix)).findFirst()
                .orElseThrow(() -> new HoistException(reference + ": \"" + digestOrPlatform + "\" names "
                        + matches.size() + " instances; give more of the digest"));
    }

    /** Total bytes of the config and layers as stored; 0 for a list. */
    public long contentSize() {
        if (list || config == null) {
            return 0;
        }
        return config.size() + layers.stream().mapToLong(InspectedLayer::size).sum();
    }
}
