package hoist.engine.transport.registry;

import hoist.engine.image.Digest;
import hoist.engine.image.DigestingInputStream;
import hoist.engine.transport.UploadLostException;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * Sends blobs to one repository: {@code POST} opens an upload session, the bytes stream from the
 * source to the registry in {@code PATCH} requests of up to {@code segmentBytes} each (with
 * {@code Content-Range} and {@code Content-Length} when the size is known, chunked transfer
 * encoding when it is not), and {@code PUT ?digest=} closes it. Nothing is buffered but the one
 * transfer buffer lent by the client's {@link BufferPool}, so memory does not grow with the blob.
 *
 * <p>A cut connection (or a 408, 429 or 5xx answer) is resumed from the offset the registry reports
 * it holds ({@code GET} on the session, {@code Range: 0-LAST}): in place when the bytes from there
 * are still in the transfer buffer, otherwise by an {@link UploadInterruptedException} that carries
 * the session, so that the blob is read again and sent on from that offset. The distribution
 * registry keeps a session only up to the last request it received whole: segments are where an
 * upload to it can resume, and a cut costs at most one segment. A session the registry dropped is an
 * {@link UploadLostException}: the blob is sent again from its first byte.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs-in-chunks">OCI distribution spec: pushing blobs in chunks</a>
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-a-blob-monolithically">OCI distribution spec: pushing a blob monolithically</a>
 */
final class BlobUpload {

    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

    private final RegistryEndpoint endpoint;
    private final RegistryCaller caller;
    private final BufferPool buffers;
    private final String scope;
    private final long segmentBytes;

    /**
     * @param scope        the authorization scope of the repository ({@code repository:NAME:pull,push})
     * @param segmentBytes most bytes sent per {@code PATCH} (more than 0); the registry's
     *                     {@code OCI-Chunk-Min-Length} raises it when larger
     */
    BlobUpload(RegistryEndpoint endpoint, RegistryCaller caller, BufferPool buffers, String scope, long segmentBytes) {
        this.endpoint = endpoint;
        this.caller = caller;
        this.buffers = buffers;
        this.scope = scope;
        this.segmentBytes = segmentBytes;
    }

    /**
     * Where an upload stands at the registry.
     *
     * @param location the session's URL, as the registry's last {@code Location} gave it
     * @param offset   bytes the registry holds (0 or more)
     */
    record Session(HttpUrl location, long offset) {
    }

    /**
     * Streams {@code stream} to the registry as one blob.
     *
     * @param knownDigest the blob's digest, or null to compute it on the way (recompressed bytes)
     * @param knownSize   the blob's size in bytes, or a negative number for any size (then the bytes
     *                    go with chunked transfer encoding until the stream ends)
     * @param resume      the session of an earlier, interrupted upload of the same bytes, or null for
     *                    a new session; its first {@code offset} bytes are read from {@code stream}
     *                    but not sent
     * @return the digest and size stored
     * @throws UploadInterruptedException a cut the registry's session survived: call again with its session and a new read
     * @throws UploadLostException        the registry dropped the session (or refused a resumed one): send again from the start
     * @throws RegistryException          the registry refused the upload (401, 403, 400 ...)
     * @throws IOException                the source's own failure, unchanged, or the network's after the retries
     */
    RegistryClient.UploadedBlob upload(InputStream stream, Digest knownDigest, long knownSize, Session resume)
            throws IOException {
        long segment = segmentBytes;
        HttpUrl location;
        if (resume != null) {
            location = resume.location();
        } else {
            Opened opened = open();
            location = opened.location();
            segment = Math.max(segment, opened.minimumSegment());
        }
        InputStream source = knownDigest == null ? new DigestingInputStream(stream) : stream;
        Feed feed = new Feed(source, buffers.lend());
        try {
            if (resume != null && feed.skip(resume.offset()) < resume.offset()) {
                throw new UploadLostException(endpoint.what() + ": the blob read again is shorter than the "
                        + resume.offset() + " bytes the registry holds");
            }
            int cuts = 0;
            while (knownSize >= 0 ? feed.position() < knownSize : feed.more()) {
                long length = knownSize >= 0 ? Math.min(segment, knownSize - feed.position()) : -1;
                try {
                    location = patch(location, feed, length, segment);
                } catch (Cut cut) {
                    cuts++;
                    location = afterCut(location, feed, cut, cuts);
                }
            }
            if (knownSize >= 0) {
                feed.expectEnd(knownSize);
            }
            Digest digest = knownDigest != null ? knownDigest : ((DigestingInputStream) source).digest();
            close(location, digest, resume != null);
            return new RegistryClient.UploadedBlob(digest, feed.position());
        } finally {
            buffers.giveBack(feed.buffer);
        }
    }

    /**
     * After a cut: asks the registry how much it holds, and goes on from there when the transfer
     * buffer still has those bytes. Returns the session's URL to continue with.
     */
    private HttpUrl afterCut(HttpUrl location, Feed feed, Cut cut, int cuts) throws IOException {
        RetryPolicy retry = caller.retry();
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("upload cancelled");
        }
        if (cuts > retry.retries()) {
            if (cut.getCause() instanceof RegistryException refused) {
                throw refused;
            }
            throw NetworkFailure.wrap(endpoint.hostAndPort(), (IOException) cut.getCause(), cuts);
        }
        RetryPolicy.sleep(retry.wait(cuts, cut.status, cut.retryAfter));
        Session held = status(location);
        if (held.offset() > feed.position()) {
            throw new UploadLostException(endpoint.what() + ": the registry reports " + held.offset()
                    + " bytes of an upload that sent " + feed.position());
        }
        if (!feed.rewind(held.offset())) {
            throw new UploadInterruptedException(endpoint.what() + ": the upload broke after " + held.offset()
                    + " bytes held by the registry: " + cut.getCause().getMessage(), held, cut.getCause());
        }
        return held.location();
    }

    /** A new session: where to send, and the smallest segment (bytes) the registry takes, 0 for any. */
    private record Opened(HttpUrl location, long minimumSegment) {
    }

    /**
     * Opens a session ({@code POST /v2/NAME/blobs/uploads/}, 202 with a {@code Location}); its
     * answer also settles the authorization that the {@code PATCH} requests, sent once, carry.
     */
    private Opened open() throws IOException {
        Request request = new Request.Builder().url(endpoint.url("blobs", "uploads", "").build())
                .post(RequestBody.create(new byte[0])).build();
        try (Response response = caller.send(request, scope, true)) {
            if (response.code() != 202) {
                throw RegistryException.from(response, endpoint.what() + ": starting an upload");
            }
            String location = response.header("Location");
            if (location == null) {
                throw new RegistryException(endpoint.what() + ": the registry started an upload without a Location",
                        response.code());
            }
            long minimum = 0;
            try {
                minimum = Long.parseLong(response.header("OCI-Chunk-Min-Length", "0"));
            } catch (NumberFormatException e) {
                // no usable minimum: segments are larger than any registry asks for
            }
            return new Opened(endpoint.resolve(location), minimum);
        }
    }

    /**
     * Sends one segment: {@code length} bytes of the feed ({@code -1}: up to {@code limit} bytes or
     * the end, chunked). Returns the session's next URL.
     *
     * @throws Cut when the connection broke, or the registry answered 401 or a retryable status
     */
    private HttpUrl patch(HttpUrl location, Feed feed, long length, long limit) throws IOException {
        long start = feed.position();
        Request.Builder request = new Request.Builder().url(location)
                .patch(new SegmentBody(feed, length, length >= 0 ? length : limit));
        if (length >= 0) {
            request.header("Content-Range", start + "-" + (start + length - 1));
        }
        Response response;
        try {
            response = caller.send(request.build(), scope, false);
        } catch (IOException e) {
            if (feed.failure != null) {
                throw feed.failure;
            }
            throw new Cut(e, 0, null);
        }
        try (response) {
            if (response.code() == 202 || response.code() == 204) {
                return endpoint.resolve(response.header("Location", location.toString()));
            }
            RegistryException refused = RegistryException.from(response, endpoint.what() + ": uploading a blob");
            if (RetryPolicy.retryable(response.code())
                    || (response.code() == 401 && caller.reauthorize(response, scope))) {
                throw new Cut(refused, response.code(), response.header("Retry-After"));
            }
            throw refused;
        }
    }

    /**
     * How much of the upload the registry holds ({@code GET} on the session: 204 with
     * {@code Range: 0-LAST}), and the URL to continue with.
     *
     * @throws UploadLostException when the registry no longer knows the session
     */
    private Session status(HttpUrl location) throws IOException {
        try (Response response = caller.send(new Request.Builder().url(location).build(), scope, true)) {
            if (response.code() != 204 && response.code() != 202) {
                throw new UploadLostException(RegistryException.from(response,
                        endpoint.what() + ": the registry did not keep the interrupted upload").getMessage());
            }
            return new Session(endpoint.resolve(response.header("Location", location.toString())),
                    receivedBytes(response.header("Range", "")));
        }
    }

    /**
     * Bytes held by the registry from its {@code Range} header: {@code 0-LAST} means LAST+1.
     * Distribution answers {@code 0-0} both for none and for one byte; it is taken as none, so a
     * one-byte upload cut before its answer sends its byte again.
     */
    static long receivedBytes(String range) {
        String value = range.replace("bytes=", "").strip();
        int dash = value.indexOf('-');
        if (dash < 0) {
            return 0;
        }
        long last = Long.parseLong(value.substring(dash + 1).strip());
        return last == 0 ? 0 : last + 1;
    }

    /**
     * Closes the session with the digest ({@code PUT ?digest=}, 201). The registry checks the digest
     * against what it holds.
     *
     * @param resumed whether part of the bytes came from an earlier read: a refusal (400) then means
     *                the reads differed, and the blob is sent again from the start
     */
    private void close(HttpUrl location, Digest digest, boolean resumed) throws IOException {
        HttpUrl put = location.newBuilder().addQueryParameter("digest", digest.toString()).build();
        try (Response response = caller.send(new Request.Builder().url(put).put(RequestBody.create(new byte[0])).build(),
                scope, true)) {
            if (response.code() == 201 || response.code() == 204) {
                return;
            }
            if (resumed && response.code() == 400) {
                throw new UploadLostException(RegistryException.from(response,
                        endpoint.what() + ": the registry refused the resumed upload of " + digest).getMessage());
            }
            throw RegistryException.from(response, endpoint.what() + ": completing the upload of " + digest);
        }
    }

    /**
     * A segment that did not arrive whole: the network's failure ({@code status} 0), or a retryable
     * answer with its status and {@code Retry-After} (null when it had none).
     */
    private static final class Cut extends IOException {
        final int status;
        final String retryAfter;

        Cut(Exception cause, int status, String retryAfter) {
            super(cause.getMessage(), cause);
            this.status = status;
            this.retryAfter = retryAfter;
        }
    }

    /**
     * One segment's body, sent once: up to {@code limit} bytes from the feed; exactly
     * {@code length} when that is known (0 or more), chunked otherwise ({@code length} -1).
     */
    private static final class SegmentBody extends RequestBody {
        private final Feed feed;
        private final long length;
        private final long limit;

        SegmentBody(Feed feed, long length, long limit) {
            this.feed = feed;
            this.length = length;
            this.limit = limit;
        }

        @Override
        public MediaType contentType() {
            return OCTET_STREAM;
        }

        @Override
        public long contentLength() {
            return length;
        }

        @Override
        public boolean isOneShot() {
            return true;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            long sent = 0;
            while (sent < limit) {
                int n = feed.sendTo(sink, limit - sent);
                if (n < 0) {
                    break;
                }
                sent += n;
            }
            if (length >= 0 && sent < length) {
                throw feed.fail(new IOException("the blob ended after " + feed.position() + " bytes, before its size"));
            }
        }
    }

    /**
     * The blob's bytes in order, read from the source into the transfer buffer, which keeps the
     * last piece read: a cut that the registry reports inside that piece goes on from the buffer.
     * A failure of the source itself is remembered, so that it is not taken for the network's.
     */
    private static final class Feed {
        private final InputStream source;
        final byte[] buffer;
        /** Blob offset of {@code buffer[0]}, and how many bytes of the buffer are the blob's. */
        private long bufferStart;
        private int bufferLength;
        /** Blob offset of the next byte to send. */
        private long position;
        private boolean ended;
        IOException failure;

        Feed(InputStream source, byte[] buffer) {
            this.source = source;
            this.buffer = buffer;
        }

        long position() {
            return position;
        }

        /** Whether bytes remain to be sent (reads ahead into the buffer to know). */
        boolean more() throws IOException {
            if (position < bufferStart + bufferLength) {
                return true;
            }
            if (ended) {
                return false;
            }
            fill();
            return bufferLength > 0;
        }

        /** Writes up to {@code max} bytes to {@code sink}; the count, or -1 at the end of the blob. */
        int sendTo(BufferedSink sink, long max) throws IOException {
            if (!more()) {
                return -1;
            }
            int from = (int) (position - bufferStart);
            int n = (int) Math.min(bufferLength - from, max);
            sink.write(buffer, from, n);
            position += n;
            return n;
        }

        /** Reads past {@code count} bytes without sending them; returns how many there were. */
        long skip(long count) throws IOException {
            while (position < count && more()) {
                position = Math.min(count, bufferStart + bufferLength);
            }
            return position;
        }

        /** Goes back to blob offset {@code to}, when the buffer still holds the bytes from there. */
        boolean rewind(long to) {
            if (to < bufferStart || to > position) {
                return false;
            }
            position = to;
            return true;
        }

        /** Checks that the blob ends at {@code size} bytes, reading to the source's end (which verifies it). */
        void expectEnd(long size) throws IOException {
            if (more()) {
                throw fail(new IOException("the blob is longer than its size, " + size + " bytes"));
            }
        }

        private void fill() throws IOException {
            bufferStart += bufferLength;
            bufferLength = 0;
            try {
                bufferLength = source.readNBytes(buffer, 0, buffer.length);
            } catch (IOException e) {
                throw fail(e);
            } catch (RuntimeException e) {
                fail(new IOException(e.getMessage(), e));
                throw e;
            }
            ended = bufferLength < buffer.length;
        }

        IOException fail(IOException e) {
            failure = e;
            return e;
        }
    }
}
