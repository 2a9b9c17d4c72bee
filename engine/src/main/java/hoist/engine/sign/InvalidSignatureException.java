package hoist.engine.sign;

import hoist.engine.HoistException;

/** A signature that cannot be trusted: it does not parse, does not verify, or says something else than expected. */
public class InvalidSignatureException extends HoistException {

    public InvalidSignatureException(String message) {
        super(message);
    }
}
