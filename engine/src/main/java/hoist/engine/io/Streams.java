package hoist.engine.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Copying with a buffer sized for blobs (the JDK's transferTo uses 8 KiB). */
public final class Streams {

    public static final int BUFFER = 256 * 1024;

    private Streams() {
    }

    /** Copies {@code in} to its end into {@code out}; returns the bytes copied. */
    public static long copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }
}
