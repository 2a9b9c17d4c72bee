package hoist.engine.copy;

import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Manifest;
import hoist.engine.transport.RawManifest;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The last step at one destination: the manifest (an image, a list's instance, or a list), then
 * the source's signatures, which may only follow a manifest that was not changed on the way.
 */
final class ManifestWrite {

    private ManifestWrite() {
    }

    /** Writes {@code manifest} to {@code target}; a failure fails that target and returns empty. */
    static Optional<Descriptor> write(Target target, Manifest manifest, boolean asInstance, boolean changed,
                                      List<byte[]> signatures, ProgressListener listener) {
        try {
            if (!signatures.isEmpty()) {
                requireSignaturesFit(target, changed);
            }
            listener.on(new CopyEvent.WritingManifest(target.name()));
            RawManifest raw = RawManifest.of(manifest);
            if (asInstance) {
                target.destination().putInstanceManifest(raw);
            } else {
                target.destination().putManifest(raw);
            }
            List<byte[]> stored = asInstance ? signatures
                    : target.signing().withNewSignature(target.destination(), manifest.digest(), signatures);
            boolean sigstore = !asInstance && target.signing().signsWithSigstore();
            if (!stored.isEmpty() || sigstore) {
                listener.on(new CopyEvent.StoringSignatures(target.name()));
            }
            if (!stored.isEmpty()) {
                target.signing().store(target.destination(), manifest.digest(), stored);
            }
            if (sigstore) {
                target.signing().attachSigstore(target.destination(), manifest.digest());
            }
            return Optional.of(new Descriptor(manifest.mediaType(), manifest.digest(), manifest.raw().length));
        } catch (IOException | RuntimeException e) {
            target.fail(e);
            return Optional.empty();
        }
    }

    private static void requireSignaturesFit(Target target, boolean changed) {
        if (changed) {
            throw new HoistException("copying to " + target.name() + " changes the manifest, which would invalidate "
                    + "the source's signatures; use --remove-signatures");
        }
        if (!target.signing().storesSignatures(target.destination())) {
            throw new HoistException(target.name() + " cannot store signatures; use --remove-signatures");
        }
    }
}
