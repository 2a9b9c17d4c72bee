package hoist.engine.transport.registry;

import hoist.engine.image.Digest;
import hoist.engine.io.BulkInputStream;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads blobs of one repository ({@code GET /v2/NAME/blobs/DIGEST}). A connection broken in the
 * middle of a blob is opened again with {@code Range: bytes=OFFSET-} from where it broke, up to the
 * retry policy's number of times, so a cut costs a reconnection rather than the bytes read so far.
 * A registry that ignores the Range (answers 200, not 206) is skipped forward to the offset.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-blobs">OCI distribution spec: pulling blobs</a>
 */
final class BlobDownload {

    private final RegistryEndpoint endpoint;
    private final RegistryCaller caller;
    private final String scope;

    BlobDownload(RegistryEndpoint endpoint, RegistryCaller caller, String scope) {
        this.endpoint = endpoint;
        this.caller = caller;
        this.scope = scope;
    }

    /**
     * The bytes of blob {@code digest}, unverified (the caller checks them against the digest).
     *
     * @throws RegistryException when the registry answers other than 2xx (404: no such blob)
     * @throws IOException       when the connection fails, after the retries
     */
    InputStream open(Digest digest) throws IOException {
        return new ResumingStream(digest, openAt(digest, 0));
    }

    /** The blob from byte {@code from} (0 for all of it). */
    private InputStream openAt(Digest digest, long from) throws IOException {
        Request.Builder request = new Request.Builder().url(endpoint.url("blobs", digest.toString()).build());
        if (from > 0) {
            request.header("Range", "bytes=" + from + "-");
        }
        Response response = caller.send(request.build(), scope, true);
        if (!response.isSuccessful()) {
            try (response) {
                throw RegistryException.from(response, endpoint.what() + ": reading blob " + digest);
            }
        }
        InputStream body = response.body().byteStream();
        if (from > 0 && response.code() != 206) {
            body.skipNBytes(from); // the server ignored the Range: skip what was read already
        }
        return body;
    }

    /** A blob download that reconnects from its current offset when the connection breaks. */
    private final class ResumingStream extends BulkInputStream {
        private final Digest digest;
        private InputStream current;
        private long position;
        private int resumes;

        ResumingStream(Digest digest, InputStream first) {
            this.digest = digest;
            this.current = first;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            while (true) {
                try {
                    int n = current.read(buffer, offset, length);
                    if (n > 0) {
                        position += n;
                    }
                    return n;
                } catch (IOException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw e;
                    }
                    RetryPolicy retry = caller.retry();
                    if (resumes >= retry.retries()) {
                        throw new IOException(endpoint.what() + ": reading blob " + digest + " broke after " + position
                                + " bytes: " + e.getMessage(), e);
                    }
                    resumes++;
                    closeQuietly();
                    RetryPolicy.sleep(retry.wait(resumes, null));
                    current = openAt(digest, position);
                }
            }
        }

        private void closeQuietly() {
            try {
                current.close();
            } catch (IOException e) {
                // the connection is broken already
            }
        }

        @Override
        public void close() throws IOException {
            current.close();
        }
    }
}
