package hoist.engine.copy;

import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.Manifest;
import hoist.engine.image.ManifestConversion;
import hoist.engine.image.ManifestConversionException;
import hoist.engine.image.ManifestFormat;
import hoist.engine.image.ManifestList;
import hoist.engine.image.MediaTypes;
import hoist.engine.transport.ManifestTypeRejectedException;

import java.io.IOException;

/**
 * What happens when a destination refuses a manifest for its type: the image is written in the
 * next format it can be converted to (an OCI manifest becomes Docker schema2, an OCI index of
 * schema2 manifests a Docker list), as containers/image tries its other manifest candidates. The
 * blobs already sent stay as they are: the conversion changes media types, never digests. Not
 * done when the user asked for a format, when the manifest must stay as read, or when signatures
 * of it were stored.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests">OCI distribution: pushing manifests</a>
 */
final class FormatFallback {

    /** Puts a manifest at the destination (and commits it, for a top-level manifest). */
    @FunctionalInterface
    interface Put {
        void put(Manifest manifest) throws IOException;
    }

    private FormatFallback() {
    }

    /**
     * Writes {@code rejected} again in the next format, after telling {@code listener} so, and
     * returns the manifest written.
     *
     * @throws HoistException the refusal itself when no other format may or can be tried, with why
     *                        the next one cannot when that is the reason
     */
    static Manifest retry(Target target, CopyOptions options, Manifest rejected, ManifestTypeRejectedException refusal,
                          ProgressListener listener, Put put) throws IOException {
        if (options.format() != null || target.preservation().required() || target.signed() || rejected == null) {
            throw refusal;
        }
        Manifest next;
        try {
            next = next(rejected);
        } catch (ManifestConversionException e) {
            throw new HoistException(refusal.getMessage() + "; " + ManifestFormat.V2S2.flag() + " cannot be tried instead: "
                    + e.getMessage(), refusal);
        }
        if (next == null || !target.destination().supportedManifestTypes().contains(next.mediaType())) {
            throw refusal;
        }
        listener.on(new CopyEvent.ManifestFormatFallback(target.name(), rejected.mediaType(), next.mediaType(),
                CopyFailures.describe(refusal)));
        put.put(next);
        return next;
    }

    /**
     * {@code rejected} in the format to try after it, or null when there is none.
     *
     * @throws ManifestConversionException when the image cannot be written in that format (zstd layers in schema2)
     */
    static Manifest next(Manifest rejected) {
        if (rejected.format() != ManifestFormat.OCI) {
            return null;
        }
        if (rejected instanceof ImageManifest image) {
            return ManifestConversion.convert(image, ManifestFormat.V2S2);
        }
        ManifestList list = (ManifestList) rejected;
        for (Descriptor entry : list.manifests()) {
            if (!entry.mediaType().equals(MediaTypes.DOCKER_MANIFEST)) {
                throw new ManifestConversionException("the index holds " + entry.mediaType() + " manifests ("
                        + entry.digest() + "), which a Docker manifest list cannot");
            }
        }
        return list.withManifests(ManifestFormat.V2S2, list.manifests());
    }

    /** The descriptor of a manifest written. */
    static Descriptor descriptorOf(Manifest manifest) {
        return new Descriptor(manifest.mediaType(), manifest.digest(), manifest.raw().length);
    }
}
