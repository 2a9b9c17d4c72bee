package hoist.shell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** The in-test HTTP servers' reading of a request head. */
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
}
