package hoist.engine.io;

import hoist.engine.HoistException;

/** A blob whose bytes are not what its descriptor promised. */
public class DigestMismatchException extends HoistException {
    public DigestMismatchException(String message) {
        super(message);
    }
}
