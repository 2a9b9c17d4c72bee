package hoist.shell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The in-test HTTP servers' reading of a request head, and passing its body on as it came. */
final class RequestHead {

    private RequestHead() {
    }

    /**
     * The request head's bytes through its empty line, starting with {@code first} (already read).
     *
     * @throws IOException when the connection closes inside the head
     * @see <a href="https://www.rfc-editor.org/rfc/rfc9112#section-2.1">RFC 9112, message format</a>
     */
    static byte[] read(InputStream in, int first) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write(first);
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside a request head");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toByteArray();
    }

    /**
     * Copies the body that follows a head to {@code out} byte for byte: {@code length} bytes, or
     * with {@code chunked}, every chunk through the trailer.
     *
     * @throws IOException when the connection closes inside the body
     * @see <a href="https://www.rfc-editor.org/rfc/rfc9112#section-7.1">RFC 9112, chunked transfer coding</a>
     */
    static void copyBody(InputStream in, OutputStream out, long length, boolean chunked) throws IOException {
        if (!chunked) {
            copy(in, out, length);
            return;
        }
        while (true) {
            String sizeLine = line(in);
            out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            long size = Long.parseLong(sizeLine.split(";")[0].strip(), 16);
            if (size == 0) {
                String trailer;
                do {
                    trailer = line(in);
                    out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                } while (!trailer.isEmpty());
                return;
            }
            copy(in, out, size + 2); // the chunk and its CRLF
        }
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        while (length > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, length));
            if (n < 0) {
                throw new IOException("connection closed inside a request body");
            }
            out.write(buffer, 0, n);
            length -= n;
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed inside a chunked body");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
