package hoist.engine.image;

import hoist.engine.HoistException;

/** A manifest that cannot be expressed in the format asked for. */
public class ManifestConversionException extends HoistException {
    public ManifestConversionException(String message) {
        super(message);
    }
}
