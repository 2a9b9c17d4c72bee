package hoist.engine.image;

import hoist.engine.HoistException;

/** A manifest or config that does not follow its specification; the message names the field. */
public class InvalidManifestException extends HoistException {
    public InvalidManifestException(String message) {
        super(message);
    }

    public InvalidManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
