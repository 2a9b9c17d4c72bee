package hoist.engine.transport.registry;

import hoist.engine.transport.UploadLostException;

/**
 * An upload was cut, and the registry kept its session with {@code session.offset()} bytes, more
 * than the bytes still at hand could continue from. Sending the blob again goes on from that
 * offset: the new read's first {@code offset} bytes are read (and digested) but not sent.
 */
final class UploadInterruptedException extends UploadLostException {

    private final transient BlobUpload.Session session;

    UploadInterruptedException(String message, BlobUpload.Session session, Throwable cause) {
        super(message);
        this.session = session;
        initCause(cause);
    }

    /** Where the upload stands at the registry. */
    BlobUpload.Session session() {
        return session;
    }
}
