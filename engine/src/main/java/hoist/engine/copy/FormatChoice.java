package hoist.engine.copy;

import hoist.engine.HoistException;
import hoist.engine.compress.Compression;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.ManifestConversionException;
import hoist.engine.image.ManifestFormat;
import hoist.engine.image.MediaTypes;
import hoist.engine.transport.ImageDestination;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the manifest format an image gets at a destination: the one asked for with
 * {@code --format}, else the source's, else another the destination accepts. zstd layers cannot
 * be described by schema2: asked for, that is an error; not asked for, OCI is chosen instead.
 */
final class FormatChoice {

    private FormatChoice() {
    }

    static ManifestFormat choose(ImageManifest manifest, List<LayerCompressionPlan.Step> steps,
                                 ImageDestination destination, ManifestFormat requested) {
        List<ManifestFormat> accepted = accepted(destination.supportedManifestTypes());
        if (requested != null) {
            List<ManifestFormat> whenAsked = accepted(destination.manifestTypesWhenAsked());
            if (!whenAsked.contains(requested)) {
                throw new HoistException(destination.reference().text() + " does not accept " + requested.flag()
                        + " manifests (it accepts " + names(accepted) + ")");
            }
            requireDescribable(manifest, steps, requested, true);
            return requested;
        }
        List<ManifestFormat> candidates = new ArrayList<>();
        candidates.add(manifest.format());
        for (ManifestFormat f : ManifestFormat.values()) {
            if (!candidates.contains(f)) {
                candidates.add(f);
            }
        }
        HoistException last = null;
        for (ManifestFormat candidate : candidates) {
            if (!accepted.contains(candidate)) {
                continue;
            }
            try {
                requireDescribable(manifest, steps, candidate, false);
                return candidate;
            } catch (ManifestConversionException e) {
                last = e;
            }
        }
        throw last != null ? last : new HoistException(destination.reference().text()
                + " accepts no manifest format this image can be written in");
    }

    private static void requireDescribable(ImageManifest manifest, List<LayerCompressionPlan.Step> steps,
                                           ManifestFormat format, boolean asked) {
        if (format == manifest.format()) {
            return;
        }
        String configType = manifest.config().mediaType();
        if (!configType.equals(MediaTypes.OCI_CONFIG) && !configType.equals(MediaTypes.DOCKER_CONFIG)) {
            throw new ManifestConversionException("manifest " + manifest.digest() + " is an artifact (config type \""
                    + configType + "\") and cannot be converted to " + format.flag());
        }
        for (int i = 0; i < steps.size(); i++) {
            LayerCompressionPlan.Step step = steps.get(i);
            if (step.target() == null) {
                throw new ManifestConversionException("layer " + manifest.layers().get(i).digest() + " has media type \""
                        + manifest.layers().get(i).mediaType() + "\", which " + format.flag() + " cannot describe");
            }
            if (format == ManifestFormat.V2S2 && step.target().base() == Compression.ZSTD) {
                throw new ManifestConversionException("layer " + manifest.layers().get(i).digest()
                        + " is zstd-compressed, which a Docker schema2 manifest cannot describe"
                        + (asked ? "; use --format oci or --compression-format gzip" : ""));
            }
        }
    }

    static List<ManifestFormat> accepted(List<String> types) {
        List<ManifestFormat> formats = new ArrayList<>();
        for (String type : types) {
            if (MediaTypes.SINGLE_IMAGE_MANIFESTS.contains(type)) {
                ManifestFormat f = ManifestFormat.ofMediaType(type);
                if (!formats.contains(f)) {
                    formats.add(f);
                }
            }
        }
        return formats;
    }

    private static String names(List<ManifestFormat> formats) {
        return String.join(", ", formats.stream().map(ManifestFormat::flag).toList());
    }
}
