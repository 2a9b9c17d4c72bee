package hoist.engine.transport.daemon;

import hoist.engine.io.BulkInputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP/1.1 message body framings the Engine API uses: chunked transfer coding both ways
 * (requests of unknown length, such as an {@code images/load} tar made as it is sent; responses
 * the daemon streams, such as {@code images/get}) and a known {@code Content-Length}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9112#section-7.1">RFC 9112 section 7.1, chunked transfer coding</a>
 */
final class HttpBody {

    private HttpBody() {
    }

    /** Reads one CRLF-terminated line (ISO-8859-1, without the line end); null at end of stream. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() > 64 * 1024) {
                throw new IOException("HTTP line longer than 64 KiB");
            }
            line.append((char) b);
        }
        return line.length() == 0 ? null : line.toString();
    }

    /** A response body of {@code Content-Length} bytes; ending early is an error. */
    static final class Fixed extends BulkInputStream {
        private final InputStream in;
        private long remaining;

        Fixed(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }


        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n < 0) {
                throw new EOFException("the Docker daemon closed the connection before the end of its answer");
            }
            remaining -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A chunked response body, decoded; trailers are read and dropped. */
    static final class ChunkedInput extends BulkInputStream {
        private final InputStream in;
        private long remaining;
        private boolean done;

        ChunkedInput(InputStream in) {
            this.in = in;
        }


        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (remaining == 0 && !nextChunk()) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n < 0) {
                throw new EOFException("the Docker daemon closed the connection in the middle of its answer");
            }
            remaining -= n;
            if (remaining == 0) {
                expectLineEnd();
            }
            return n;
        }

        private boolean nextChunk() throws IOException {
            if (done) {
                return false;
            }
            String line = readLine(in);
            if (line == null) {
                throw new EOFException("the Docker daemon closed the connection in the middle of its answer");
            }
            int semicolon = line.indexOf(';');
            String size = (semicolon >= 0 ? line.substring(0, semicolon) : line).trim();
            try {
                remaining = Long.parseLong(size, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size \"" + size + "\" in the Docker daemon's answer");
            }
            if (remaining == 0) {
                done = true;
                String trailer;
                do {
                    trailer = readLine(in);
                } while (trailer != null && !trailer.isEmpty());
                return false;
            }
            return true;
        }

        private void expectLineEnd() throws IOException {
            if (!"".equals(readLine(in))) {
                throw new IOException("malformed chunk in the Docker daemon's answer");
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * A chunked request body: each write of the buffered bytes is one chunk; {@link #finish()}
     * writes the last (empty) chunk. {@link #close()} does not finish, so an abandoned body never
     * looks complete to the daemon.
     */
    static final class ChunkedOutput extends FilterOutputStream {
        private final byte[] buffer;
        private int count;

        ChunkedOutput(OutputStream out, int chunkSize) {
            super(out);
            this.buffer = new byte[chunkSize];
        }

        @Override
        public void write(int b) throws IOException {
            if (count == buffer.length) {
                flushChunk();
            }
            buffer[count++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            while (length > 0) {
                if (count == 0 && length >= buffer.length) {
                    writeChunk(bytes, offset, length);
                    return;
                }
                int n = Math.min(length, buffer.length - count);
                System.arraycopy(bytes, offset, buffer, count, n);
                count += n;
                offset += n;
                length -= n;
                if (count == buffer.length) {
                    flushChunk();
                }
            }
        }

        private void flushChunk() throws IOException {
            if (count > 0) {
                writeChunk(buffer, 0, count);
                count = 0;
            }
        }

        private void writeChunk(byte[] bytes, int offset, int length) throws IOException {
            out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, offset, length);
            out.write(CRLF);
        }

        @Override
        public void flush() throws IOException {
            flushChunk();
            out.flush();
        }

        /** Sends what is buffered and the last chunk: the body is complete. */
        void finish() throws IOException {
            flushChunk();
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() {
            // the connection is closed by its owner; closing here must not end the body
        }

        private static final byte[] CRLF = {'\r', '\n'};
    }
}
