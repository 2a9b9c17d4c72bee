package hoist.engine.copy;

import hoist.engine.HoistException;
import hoist.engine.crypt.LayerCrypto;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.ManifestFormat;

import java.util.List;

/**
 * Where encryption changes a copy's plan: encrypted layers need an OCI manifest (only its
 * descriptors carry the annotations that hold the wrapped keys), and the compression of a layer
 * about to be encrypted is chosen by {@link LayerCrypto#compressionWhenEncrypted}.
 */
final class LayerEncryptionPlan {

    private LayerEncryptionPlan() {
    }

    /** Whether layer {@code index} is encrypted on its way (only distributable layers of a known type are). */
    static boolean encrypts(ImageManifest manifest, int index, LayerCompressionPlan.Step step, LayerCrypto crypto) {
        return step.target() != null && !BlobCopy.isForeign(manifest.layers().get(index)) // foreign: the bytes stay elsewhere
                && crypto.encryptsLayer(manifest.layers().get(index), index, manifest.layers().size());
    }

    /** Replaces the steps of layers to be encrypted by their compression when encrypted. */
    static void adjust(ImageManifest manifest, List<LayerCompressionPlan.Step> steps, LayerCrypto crypto) {
        for (int i = 0; i < steps.size(); i++) {
            LayerCompressionPlan.Step step = steps.get(i);
            if (encrypts(manifest, i, step, crypto)) {
                steps.set(i, new LayerCompressionPlan.Step(step.source(), LayerCrypto.compressionWhenEncrypted(step.target()),
                        step.recompress()));
            }
        }
    }

    /**
     * The manifest format to ask for: OCI when layers are encrypted (an error when another was
     * asked for), else what the options say.
     */
    static ManifestFormat format(ImageManifest manifest, CopyOptions options) {
        boolean encrypting = false;
        for (int i = 0; i < manifest.layers().size(); i++) {
            encrypting |= options.crypto().encryptsLayer(manifest.layers().get(i), i, manifest.layers().size());
        }
        if (!encrypting) {
            return options.format();
        }
        if (options.format() != null && options.format() != ManifestFormat.OCI) {
            throw HoistException.usage("encrypted layers need an OCI manifest; --format " + options.format().flag()
                    + " cannot describe them");
        }
        return ManifestFormat.OCI;
    }
}
