package hoist.engine.archive;

import hoist.engine.HoistException;

/** An archive that is damaged or tries to reach outside itself. */
public class InvalidArchiveException extends HoistException {
    public InvalidArchiveException(String message) {
        super(message);
    }

    public InvalidArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
