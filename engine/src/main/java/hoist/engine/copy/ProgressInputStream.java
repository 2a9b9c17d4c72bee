package hoist.engine.copy;

import hoist.engine.image.Digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * Reports how far a blob has been read, at most every half megabyte; and stops the read when the
 * thread is interrupted (a cancelled copy), whatever the stream underneath would do.
 */
final class ProgressInputStream extends FilterInputStream {

    private static final long STEP = 512 * 1024;

    private final Digest blob;
    private final long total;
    private final ProgressListener listener;
    private long done;
    private long reported;

    ProgressInputStream(InputStream in, Digest blob, long total, ProgressListener listener) {
        super(in);
        this.blob = blob;
        this.total = total;
        this.listener = listener;
    }

    @Override
    public int read() throws IOException {
        stopIfCancelled();
        int b = super.read();
        if (b >= 0) {
            advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        stopIfCancelled();
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            advance(n);
        }
        return n;
    }

    private static void stopIfCancelled() throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("copy cancelled");
        }
    }

    private void advance(int n) {
        done += n;
        if (done - reported >= STEP || done == total) {
            reported = done;
            listener.on(new CopyEvent.BlobProgress(blob, done, total));
        }
    }
}
