package hoist.engine.archive.tarsplit;

import java.io.IOException;

/**
 * Tar-split data that is damaged, or that does not match the files it describes (a file missing,
 * shorter than recorded, or with another checksum): the archive cannot be rebuilt as it was.
 */
public class TarSplitException extends IOException {

    public TarSplitException(String message) {
        super(message);
    }

    public TarSplitException(String message, Throwable cause) {
        super(message, cause);
    }
}
