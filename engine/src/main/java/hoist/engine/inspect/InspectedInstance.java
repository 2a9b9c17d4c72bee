package hoist.engine.inspect;

import hoist.engine.image.Descriptor;
import hoist.engine.image.Platform;

import java.util.Map;

/**
 * One entry of a list: what the list says of it, and the image it names.
 *
 * @param platform    what the entry runs on; null when the list does not say
 * @param image       the instance, read; null when the location does not hold it
 * @param unavailable why {@code image} is null; null when it was read
 */
public record InspectedInstance(String digest, String mediaType, long size, Platform platform,
                                Map<String, String> annotations, String artifactType,
                                InspectedImage image, String unavailable) {

    public InspectedInstance {
        annotations = Map.copyOf(annotations);
    }

    static InspectedInstance of(String reference, ImageContent.Instance instance, Platform platform,
                                Map<hoist.engine.image.Digest, java.util.List<InspectedReferrer>> attached) {
        Descriptor d = instance.descriptor();
        InspectedImage image = instance.content() == null ? null
                : InspectedImage.of(reference + "@" + d.digest(), instance.content(), platform, attached);
        return new InspectedInstance(d.digest().toString(), d.mediaType(), d.size(), d.platform(), d.annotations(),
                d.artifactType(), image, instance.unavailable());
    }
}
