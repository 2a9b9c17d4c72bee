package hoist.engine.transport;

import hoist.engine.HoistException;

/**
 * A destination refused a manifest for its type, not its content: a registry that stores only
 * some manifest types answers {@code MANIFEST_INVALID}, {@code 415 Unsupported Media Type} or a
 * {@code 400} naming the manifest. The copier may then write the image in another format the image
 * can be converted to, as containers/image does with its {@code ManifestTypeRejectedError}.
 * The message is the destination's refusal.
 */
public class ManifestTypeRejectedException extends HoistException {

    /** {@code refusal}: what the destination said; its message becomes this exception's. */
    public ManifestTypeRejectedException(HoistException refusal) {
        super(refusal.getMessage(), refusal);
    }
}
