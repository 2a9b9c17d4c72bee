package hoist.engine.transport;

import java.io.IOException;

/**
 * A destination lost a blob upload that was cut part-way (a registry that restarted, or one that
 * drops uploads broken inside a chunk): the bytes cannot be resumed, but sending the blob again
 * from its first byte may work. The copy does that a bounded number of times.
 */
public class UploadLostException extends IOException {

    public UploadLostException(String message) {
        super(message);
    }
}
