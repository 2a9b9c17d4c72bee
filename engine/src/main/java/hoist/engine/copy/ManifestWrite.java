package hoist.engine.copy;

import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Manifest;
import hoist.engine.transport.ManifestTypeRejectedException;
import hoist.engine.transport.RawManifest;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The last step at one destination: the manifest (an image, a list's instance, or a list), then
 * its signatures: the source's, which may only follow a manifest that was not changed on the way,
 * and the new ones when signing.
 */
final class ManifestWrite {

    private ManifestWrite() {
    }

    /**
     * Writes {@code manifest} to {@code target}; a failure fails that target and returns empty. A
     * manifest that must stay as read ({@link Target#preservation()}) and was {@code changed} is
     * refused here at the latest. A list's instance refused for its type is written in the next
     * format ({@link FormatFallback}) and the descriptor returned is of that one.
     */
    static Optional<Descriptor> write(Target target, Manifest manifest, boolean asInstance, boolean changed,
                                      List<byte[]> signatures, ProgressListener listener, CopyOptions options) {
        try {
            if (changed && target.preservation().required()) {
                throw target.preservation().refuse(target.name(), "the " + (asInstance ? "list's instance" : "manifest")
                        + " would be changed to " + manifest.digest());
            }
            if (!signatures.isEmpty()) {
                requireSignaturesFit(target, changed, signatures);
            }
            listener.on(new CopyEvent.WritingManifest(target.name()));
            RawManifest raw = RawManifest.of(manifest);
            Manifest written = manifest;
            if (asInstance) {
                try {
                    target.destination().putInstanceManifest(raw);
                } catch (ManifestTypeRejectedException e) {
                    if (!signatures.isEmpty()) {
                        throw e; // another format would invalidate the instance's signatures
                    }
                    written = FormatFallback.retry(target, options, manifest, e, listener,
                            m -> target.destination().putInstanceManifest(RawManifest.of(m)));
                }
            } else {
                target.destination().putManifest(raw);
            }
            // every manifest written is signed, a list's instances as well as the list, as podman signs them
            List<byte[]> stored = target.signing().withNewSignature(target.destination(), written.digest(), signatures);
            if (!asInstance) {
                target.wroteTop(manifest, !stored.isEmpty());
            }
            if (!stored.isEmpty()) {
                listener.on(new CopyEvent.StoringSignatures(target.name()));
                target.signing().store(target.destination(), written.digest(), stored);
            }
            return Optional.of(FormatFallback.descriptorOf(written));
        } catch (IOException | RuntimeException e) {
            target.fail(e);
            return Optional.empty();
        }
    }

    private static void requireSignaturesFit(Target target, boolean changed, List<byte[]> signatures) {
        if (changed) {
            throw new HoistException("copying to " + target.name() + " changes the manifest, which would invalidate "
                    + "the source's signatures; use --remove-signatures");
        }
        if (!target.signing().storesSignatures(target.destination(), signatures)) {
            throw new HoistException(target.name() + " cannot store signatures; use --remove-signatures");
        }
    }
}
