package hoist.engine.transport.registry;

import hoist.engine.io.BulkInputStream;
import hoist.engine.HoistException;
import hoist.engine.auth.CredentialLookup;
import hoist.engine.image.Digest;
import hoist.engine.image.MediaTypes;
import hoist.engine.io.DigestingInputStream;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.RegistryOptions;
import hoist.engine.transport.UploadLostException;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The distribution API of one repository: manifests, blobs (check, mount, upload, download) and
 * tags. Every call carries the authorization its scope needs and answers one 401 challenge.
 */
public final class RegistryClient {

    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
    /** Bytes sent per PATCH (system property hoist.uploadChunkMiB); one chunk is what a broken connection can cost. */
    private static final int CHUNK = Integer.getInteger("hoist.uploadChunkMiB", 8) * 1024 * 1024;
    /** Chunk buffers are reused across uploads, so memory is one buffer per upload in flight. */
    private static final java.util.Queue<byte[]> SPARE_CHUNKS = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private final String what;
    private final HttpUrl base;
    private final String repository;
    private final OkHttpClient http;
    private final RegistryAuth auth;
    private final String scope;
    private final RetryPolicy retry;

    private RegistryClient(String what, HttpUrl base, String repository, OkHttpClient http, RegistryAuth auth, String scope,
                           RetryPolicy retry) {
        this.what = what;
        this.base = base;
        this.repository = repository;
        this.http = http;
        this.auth = auth;
        this.scope = scope;
        this.retry = retry;
    }

    /** Connects to the reference's registry: https, or http when TLS verification is off and https fails. */
    static RegistryClient open(String what, DockerReference name, RegistryOptions options, boolean push) throws IOException {
        String registry = name.domain();
        String host = apiHost(registry);
        boolean verify = options.tlsVerify() == null || options.tlsVerify();
        OkHttpClient http = RegistryHttp.client(host, verify, options.certDir());
        var credentials = new CredentialLookup(options.credentials(), options.authFile()).find(registry, name.path());
        RegistryAuth auth = new RegistryAuth(registry, http, credentials);
        String scope = "repository:" + name.path() + (push ? ":pull,push" : ":pull");
        RetryPolicy retry = new RetryPolicy(options.retries(), options.retryDelay());
        HttpUrl base = ping(what, host, http, verify, retry);
        return new RegistryClient(what, base, name.path(), http, auth, scope, retry);
    }

    /**
     * Checks credentials against a registry as {@code login} does: the API root, answered with
     * them; a refusal is a {@link RegistryException} naming the registry.
     */
    public static void verifyLogin(String registry, RegistryOptions options) throws IOException {
        String host = apiHost(registry);
        boolean verify = options.tlsVerify() == null || options.tlsVerify();
        OkHttpClient http = RegistryHttp.client(host, verify, options.certDir());
        HttpUrl base = ping(registry, host, http, verify, new RetryPolicy(0, null)); // login answers at once, as podman's
        RegistryAuth auth = new RegistryAuth(registry, http, Optional.ofNullable(options.credentials()));
        RegistryClient client = new RegistryClient(registry, base, "", http, auth, "", new RetryPolicy(0, null));
        try (Response response = client.send(new Request.Builder().url(base).build(), "", true)) {
            if (!response.isSuccessful()) {
                throw RegistryException.from(response, "logging in to " + registry);
            }
        }
    }

    /** Docker Hub's API lives on its own host. */
    static String apiHost(String registry) {
        return registry.equals("docker.io") ? "registry-1.docker.io" : registry;
    }

    /**
     * The API root that answers: https, or plain http when TLS verification is off and https
     * fails. A registry that refuses connections, resets them or does not answer in time is
     * tried again as {@code retry} says (it may be starting); the last failure is the error.
     */
    private static HttpUrl ping(String what, String host, OkHttpClient http, boolean verify, RetryPolicy retry)
            throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return pingOnce(host, http, verify);
            } catch (IOException e) {
                if (attempt >= retry.retries() || !NetworkFailure.retryable(e) || Thread.currentThread().isInterrupted()) {
                    throw new HoistException(what + ": " + NetworkFailure.describe(host, e)
                            + (attempt > 0 ? " (tried " + (attempt + 1) + " times)" : "")
                            + (e instanceof SSLException ? "; for a registry without TLS use --tls-verify=false" : ""), e);
                }
                RetryPolicy.sleep(retry.wait(attempt + 1, null));
            }
        }
    }

    private static HttpUrl pingOnce(String host, OkHttpClient http, boolean verify) throws IOException {
        HttpUrl https = HttpUrl.get("https://" + host + "/v2/");
        try {
            check(http, https);
            return https;
        } catch (SSLException | ConnectException e) {
            if (verify) {
                throw e;
            }
        }
        HttpUrl plain = HttpUrl.get("http://" + host + "/v2/");
        check(http, plain);
        return plain;
    }

    private static void check(OkHttpClient http, HttpUrl url) throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
            if (!response.isSuccessful() && response.code() != 401) {
                throw new HoistException(url + " is not a registry: HTTP " + response.code());
            }
        }
    }

    private HttpUrl.Builder url(String... path) {
        HttpUrl.Builder url = base.newBuilder();
        for (String segment : repository.split("/")) {
            url.addPathSegment(segment);
        }
        for (String segment : path) {
            url.addPathSegment(segment);
        }
        return url;
    }

    /**
     * Sends a request with authorization for {@code requestScope}; a request whose body can be
     * sent again is retried as the retry policy says, and answers one 401 challenge.
     */
    private Response send(Request request, String requestScope, boolean replayable) throws IOException {
        if (!replayable) {
            return sendOnce(request, requestScope, false);
        }
        for (int attempt = 0; ; attempt++) {
            Response response;
            try {
                response = sendOnce(request, requestScope, true);
            } catch (IOException e) {
                if (attempt >= retry.retries() || Thread.currentThread().isInterrupted()) {
                    throw NetworkFailure.wrap(base.host() + ":" + base.port(), e, attempt + 1);
                }
                RetryPolicy.sleep(retry.wait(attempt + 1, null));
                continue;
            }
            if (!RetryPolicy.retryable(response.code()) || attempt >= retry.retries()) {
                return response;
            }
            java.time.Duration wait = retry.wait(attempt + 1, response);
            response.close();
            RetryPolicy.sleep(wait);
        }
    }

    private Response sendOnce(Request request, String requestScope, boolean replayable) throws IOException {
        Response response = http.newCall(authorized(request, requestScope)).execute();
        if (response.code() == 401 && replayable) {
            boolean retry = auth.answer(response, requestScope);
            if (retry) {
                response.close();
                response = http.newCall(authorized(request, requestScope)).execute();
            }
        }
        return response;
    }

    private Request authorized(Request request, String requestScope) {
        return auth.header(requestScope).map(h -> request.newBuilder().header("Authorization", h).build()).orElse(request);
    }

    /** Makes sure the next calls carry authorization (before a body that cannot be sent twice). */
    private void authenticate() throws IOException {
        try (Response response = send(new Request.Builder().url(base).build(), scope, true)) {
            if (!response.isSuccessful() && response.code() != 401) {
                throw RegistryException.from(response, what);
            }
        }
    }

    public RawManifest manifest(String tagOrDigest) throws IOException {
        Request request = new Request.Builder().url(url("manifests", tagOrDigest).build())
                .header("Accept", String.join(", ", MediaTypes.ALL_MANIFESTS)).build();
        try (Response response = send(request, scope, true)) {
            if (!response.isSuccessful()) {
                throw RegistryException.from(response, what + ": reading manifest " + tagOrDigest);
            }
            String type = response.header("Content-Type", "");
            int semicolon = type.indexOf(';');
            return new RawManifest(response.body().bytes(), semicolon < 0 ? type.strip() : type.substring(0, semicolon).strip());
        }
    }

    public void putManifest(String tagOrDigest, RawManifest manifest) throws IOException {
        String type = manifest.mediaType() != null ? manifest.mediaType() : manifest.parse().mediaType();
        Request request = new Request.Builder().url(url("manifests", tagOrDigest).build())
                .put(RequestBody.create(manifest.bytes(), MediaType.get(type))).build();
        try (Response response = send(request, scope, true)) {
            if (!response.isSuccessful()) {
                throw RegistryException.from(response, what + ": writing manifest " + tagOrDigest);
            }
        }
    }

    /**
     * Deletes the manifest {@code digest} from the repository; every tag that points at it goes
     * with it. A registry that does not allow deletion answers 405, reported as an error.
     */
    public void deleteManifest(Digest digest) throws IOException {
        Request request = new Request.Builder().url(url("manifests", digest.toString()).build()).delete().build();
        try (Response response = send(request, scope, true)) {
            if (!response.isSuccessful()) {
                throw RegistryException.from(response, what + ": deleting manifest " + digest);
            }
        }
    }

    public boolean blobExists(Digest digest) throws IOException {
        Request request = new Request.Builder().url(url("blobs", digest.toString()).build()).head().build();
        try (Response response = send(request, scope, true)) {
            if (response.code() == 404) {
                return false;
            }
            if (!response.isSuccessful()) {
                throw RegistryException.from(response, what + ": checking blob " + digest);
            }
            return true;
        }
    }

    /**
     * The blob's bytes; redirects are followed without the registry's Authorization, and a
     * connection broken mid-blob is resumed with a Range request from where it broke.
     */
    public InputStream blob(Digest digest) throws IOException {
        return new ResumingBlobStream(digest, openBlob(digest, 0));
    }

    private InputStream openBlob(Digest digest, long from) throws IOException {
        Request.Builder request = new Request.Builder().url(url("blobs", digest.toString()).build());
        if (from > 0) {
            request.header("Range", "bytes=" + from + "-");
        }
        Response response = send(request.build(), scope, true);
        if (!response.isSuccessful()) {
            try (response) {
                throw RegistryException.from(response, what + ": reading blob " + digest);
            }
        }
        InputStream body = response.body().byteStream();
        if (from > 0 && response.code() != 206) {
            body.skipNBytes(from); // the server ignored the Range: skip what was read already
        }
        return body;
    }

    /** A blob download that reconnects from its current offset when the connection breaks. */
    private final class ResumingBlobStream extends BulkInputStream {
        private final Digest digest;
        private InputStream current;
        private long position;
        private int resumes;

        ResumingBlobStream(Digest digest, InputStream first) {
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
                    if (resumes >= retry.retries()) {
                        throw new IOException(what + ": reading blob " + digest + " broke after " + position + " bytes: "
                                + e.getMessage(), e);
                    }
                    resumes++;
                    closeQuietly();
                    RetryPolicy.sleep(retry.wait(resumes, null));
                    current = openBlob(digest, position);
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

    /** Asks the registry to mount a blob from another repository; false when it wants an upload instead. */
    public boolean mount(Digest digest, String fromRepository) throws IOException {
        String mountScope = scope + " repository:" + fromRepository + ":pull";
        Request request = new Request.Builder().url(url("blobs", "uploads", "").addQueryParameter("mount", digest.toString())
                .addQueryParameter("from", fromRepository).build()).post(RequestBody.create(new byte[0])).build();
        try (Response response = send(request, mountScope, true)) {
            if (response.code() == 201) {
                return true;
            }
            if (response.code() == 202) {
                cancelUpload(response.header("Location"));
                return false;
            }
            if (response.code() == 401 || response.code() == 403) {
                return false; // no pull access to the other repository: the bytes are sent instead
            }
            throw RegistryException.from(response, what + ": mounting blob " + digest + " from " + fromRepository);
        }
    }

    private void cancelUpload(String location) {
        if (location == null) {
            return;
        }
        try (Response ignored = send(new Request.Builder().url(resolve(location)).delete().build(), scope, true)) {
            // the upload session is abandoned either way
        } catch (IOException e) {
            // a stale upload session expires on the registry by itself
        }
    }

    /**
     * Uploads a blob in chunks (PATCH with Content-Range), the digest computed on the way when it
     * is not known, then closes the upload with a PUT naming the digest. A chunk that fails is
     * resumed from the offset the registry reports, so a broken connection costs at most one
     * chunk, never the whole blob. Returns the digest and size stored.
     */
    public UploadedBlob upload(InputStream stream, Digest knownDigest, long knownSize) throws IOException {
        authenticate();
        Upload upload = startUpload();
        InputStream source = knownDigest == null ? new DigestingInputStream(stream) : stream;
        int size = Math.max(CHUNK, upload.minimumChunk());
        byte[] first = size == CHUNK ? spareChunk() : new byte[size];
        byte[] second = size == CHUNK ? spareChunk() : new byte[size];
        HttpUrl location = upload.location();
        long offset = 0;
        boolean finished = false;
        try (ChunkReader chunks = new ChunkReader(source, first, second)) {
            while (true) {
                ChunkReader.Chunk chunk = chunks.next();
                if (chunk.length() > 0) {
                    location = sendChunk(location, chunk.bytes(), chunk.length(), offset);
                    offset += chunk.length();
                }
                chunks.release(chunk);
                if (chunk.last()) {
                    break;
                }
            }
            finished = true;
        } finally {
            if (finished && size == CHUNK) {
                // after a failure the reading thread may still hold a buffer: those are left to the collector
                SPARE_CHUNKS.offer(first);
                SPARE_CHUNKS.offer(second);
            }
        }
        Digest digest = knownDigest != null ? knownDigest : ((DigestingInputStream) source).digest();
        HttpUrl put = location.newBuilder().addQueryParameter("digest", digest.toString()).build();
        try (Response response = send(new Request.Builder().url(put).put(RequestBody.create(new byte[0])).build(), scope, true)) {
            if (response.code() != 201 && response.code() != 204) {
                throw RegistryException.from(response, what + ": completing the upload of " + digest);
            }
        }
        return new UploadedBlob(digest, offset);
    }

    private static byte[] spareChunk() {
        byte[] chunk = SPARE_CHUNKS.poll();
        return chunk != null ? chunk : new byte[CHUNK];
    }

    /** An upload session: where to send, and the smallest chunk the registry takes. */
    private record Upload(HttpUrl location, int minimumChunk) {
    }

    /** Sends {@code chunk[0..n)} at {@code offset}, resuming after failures; returns the next location. */
    private HttpUrl sendChunk(HttpUrl location, byte[] chunk, int n, long offset) throws IOException {
        int received = 0;
        for (int attempt = 0; ; attempt++) {
            Request patch = new Request.Builder().url(location)
                    .header("Content-Range", (offset + received) + "-" + (offset + n - 1))
                    .patch(RequestBody.create(chunk, OCTET_STREAM, received, n - received)).build();
            IOException broken = null;
            try (Response response = sendOnce(patch, scope, true)) {
                if (response.code() == 202) {
                    return resolve(response.header("Location", location.toString()));
                }
                if (!RetryPolicy.retryable(response.code()) || attempt >= retry.retries()) {
                    throw RegistryException.from(response, what + ": uploading a blob");
                }
            } catch (RegistryException e) {
                throw e;
            } catch (IOException e) {
                broken = e;
            }
            if (attempt >= retry.retries()) {
                throw NetworkFailure.wrap(base.host() + ":" + base.port(), broken, attempt + 1);
            }
            RetryPolicy.sleep(retry.wait(attempt + 1, null));
            UploadStatus status = uploadStatus(location);
            location = status.location();
            long have = status.received() - offset;
            if (have < 0 || have > n) {
                throw new UploadLostException("the registry reports " + status.received()
                        + " bytes of the upload, which cannot be resumed from " + offset);
            }
            received = (int) have;
            if (received == n) {
                return location;
            }
        }
    }

    private record UploadStatus(HttpUrl location, long received) {
    }

    /** What the registry stored. */
    public record UploadedBlob(Digest digest, long size) {
    }

    /** How much of an upload the registry holds ({@code Range: 0-LAST}), and where to continue. */
    private UploadStatus uploadStatus(HttpUrl location) throws IOException {
        try (Response response = send(new Request.Builder().url(location).build(), scope, true)) {
            if (response.code() != 204 && response.code() != 202) {
                throw new UploadLostException(RegistryException.from(response,
                        "the registry did not keep the interrupted upload").getMessage());
            }
            return new UploadStatus(resolve(response.header("Location", location.toString())),
                    receivedBytes(response.header("Range", "")));
        }
    }

    /**
     * {@code Range: 0-LAST} means LAST+1 bytes are held. Distribution answers {@code 0-0} for
     * both none and one byte; taking it as none makes a one-byte upload resend its byte.
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

    private Upload startUpload() throws IOException {
        Request request = new Request.Builder().url(url("blobs", "uploads", "").build())
                .post(RequestBody.create(new byte[0])).build();
        try (Response response = send(request, scope, true)) {
            if (response.code() != 202) {
                throw RegistryException.from(response, what + ": starting an upload");
            }
            String location = response.header("Location");
            if (location == null) {
                throw new RegistryException(what + ": the registry started an upload without a Location", response.code());
            }
            int minimum = 0;
            try {
                minimum = Integer.parseInt(response.header("OCI-Chunk-Min-Length", "0"));
            } catch (NumberFormatException e) {
                // no usable minimum: ours is large enough for every registry seen
            }
            return new Upload(resolve(location), minimum);
        }
    }

    /** A Location header may be absolute or relative to the registry. */
    private HttpUrl resolve(String location) {
        HttpUrl resolved = base.resolve(location);
        if (resolved == null) {
            throw new HoistException(what + ": the registry gave an unusable upload location \"" + location + "\"");
        }
        return resolved;
    }

    /** Tags of the repository, following {@code Link} pagination. */
    public List<String> tags() throws IOException {
        return tags(1000);
    }

    /** Tags of the repository, asked for {@code pageSize} at a time. */
    List<String> tags(int pageSize) throws IOException {
        List<String> tags = new ArrayList<>();
        HttpUrl next = url("tags", "list").addQueryParameter("n", String.valueOf(pageSize)).build();
        while (next != null) {
            try (Response response = send(new Request.Builder().url(next).build(), scope, true)) {
                if (!response.isSuccessful()) {
                    throw RegistryException.from(response, what + ": listing tags");
                }
                hoist.engine.image.Json.read(response.body().bytes()).path("tags").forEach(t -> tags.add(t.asText()));
                next = nextPage(response.header("Link"));
            }
        }
        return tags;
    }

    private HttpUrl nextPage(String link) {
        if (link == null || !link.contains("rel=\"next\"")) {
            return null;
        }
        int open = link.indexOf('<');
        int close = link.indexOf('>', open);
        return open < 0 || close < 0 ? null : resolve(link.substring(open + 1, close));
    }
}
