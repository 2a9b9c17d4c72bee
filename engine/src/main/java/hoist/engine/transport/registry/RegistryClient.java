package hoist.engine.transport.registry;

import hoist.engine.HoistException;
import hoist.engine.auth.CredentialLookup;
import hoist.engine.image.Digest;
import hoist.engine.image.MediaTypes;
import hoist.engine.io.DigestingInputStream;
import hoist.engine.io.Streams;
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.RegistryOptions;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

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

    private final String what;
    private final HttpUrl base;
    private final String repository;
    private final OkHttpClient http;
    private final RegistryAuth auth;
    private final String scope;

    private RegistryClient(String what, HttpUrl base, String repository, OkHttpClient http, RegistryAuth auth, String scope) {
        this.what = what;
        this.base = base;
        this.repository = repository;
        this.http = http;
        this.auth = auth;
        this.scope = scope;
    }

    /** Connects to the reference's registry: https, or http when TLS verification is off and https fails. */
    static RegistryClient open(RegistryReference reference, RegistryOptions options, boolean push) throws IOException {
        String registry = reference.name().domain();
        String host = apiHost(registry);
        boolean verify = options.tlsVerify() == null || options.tlsVerify();
        OkHttpClient http = RegistryHttp.client(host, verify, options.certDir());
        var credentials = new CredentialLookup(options.credentials(), options.authFile()).find(registry, reference.name().path());
        RegistryAuth auth = new RegistryAuth(registry, http, credentials);
        String scope = "repository:" + reference.name().path() + (push ? ":pull,push" : ":pull");
        HttpUrl base = ping(reference.text(), host, http, verify);
        return new RegistryClient(reference.text(), base, reference.name().path(), http, auth, scope);
    }

    /**
     * Checks credentials against a registry as {@code login} does: the API root, answered with
     * them; a refusal is a {@link RegistryException} naming the registry.
     */
    public static void verifyLogin(String registry, RegistryOptions options) throws IOException {
        String host = apiHost(registry);
        boolean verify = options.tlsVerify() == null || options.tlsVerify();
        OkHttpClient http = RegistryHttp.client(host, verify, options.certDir());
        HttpUrl base = ping(registry, host, http, verify);
        RegistryAuth auth = new RegistryAuth(registry, http, Optional.ofNullable(options.credentials()));
        RegistryClient client = new RegistryClient(registry, base, "", http, auth, "");
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

    private static HttpUrl ping(String what, String host, OkHttpClient http, boolean verify) throws IOException {
        HttpUrl https = HttpUrl.get("https://" + host + "/v2/");
        try {
            check(http, https);
            return https;
        } catch (SSLException | ConnectException e) {
            if (verify) {
                throw new HoistException(what + ": cannot reach https://" + host + "/v2/ (" + e.getMessage()
                        + ")" + (e instanceof SSLException ? "; for a registry without TLS use --tls-verify=false" : ""));
            }
        }
        HttpUrl plain = HttpUrl.get("http://" + host + "/v2/");
        try {
            check(http, plain);
            return plain;
        } catch (IOException e) {
            throw new HoistException(what + ": cannot reach " + host + " over https or http: " + e.getMessage());
        }
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

    /** Sends a request with authorization for {@code requestScope}, answering one challenge if the body can be resent. */
    private Response send(Request request, String requestScope, boolean replayable) throws IOException {
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

    /** The blob's bytes; redirects are followed without the registry's Authorization. */
    public InputStream blob(Digest digest) throws IOException {
        Request request = new Request.Builder().url(url("blobs", digest.toString()).build()).build();
        Response response = send(request, scope, true);
        if (!response.isSuccessful()) {
            try (response) {
                throw RegistryException.from(response, what + ": reading blob " + digest);
            }
        }
        return response.body().byteStream();
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
     * Uploads a blob: one monolithic PUT when the digest is known, else a streamed PATCH (digest
     * computed on the way) closed by a PUT naming the digest. Returns the digest and size stored.
     */
    public UploadedBlob upload(InputStream stream, Digest knownDigest, long knownSize) throws IOException {
        authenticate();
        HttpUrl location = startUpload();
        if (knownDigest != null) {
            HttpUrl put = location.newBuilder().addQueryParameter("digest", knownDigest.toString()).build();
            CountingBody body = new CountingBody(stream, knownSize);
            finish(new Request.Builder().url(put).put(body).build(), knownDigest);
            return new UploadedBlob(knownDigest, body.sent);
        }
        DigestingInputStream digesting = new DigestingInputStream(stream);
        CountingBody body = new CountingBody(digesting, -1);
        Request patch = new Request.Builder().url(location).patch(body).build();
        HttpUrl next;
        try (Response response = send(patch, scope, false)) {
            if (response.code() != 202) {
                throw RegistryException.from(response, what + ": uploading a blob");
            }
            next = resolve(response.header("Location", location.toString()));
        }
        Digest digest = digesting.digest();
        HttpUrl put = next.newBuilder().addQueryParameter("digest", digest.toString()).build();
        finish(new Request.Builder().url(put).put(RequestBody.create(new byte[0])).build(), digest);
        return new UploadedBlob(digest, body.sent);
    }

    /** What the registry stored. */
    public record UploadedBlob(Digest digest, long size) {
    }

    private HttpUrl startUpload() throws IOException {
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
            return resolve(location);
        }
    }

    private void finish(Request put, Digest digest) throws IOException {
        try (Response response = send(put, scope, false)) {
            if (response.code() != 201 && response.code() != 204) {
                throw RegistryException.from(response, what + ": completing the upload of " + digest);
            }
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
        List<String> tags = new ArrayList<>();
        HttpUrl next = url("tags", "list").build();
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

    /** Streams a blob as a request body, once; counts what was sent. */
    private static final class CountingBody extends RequestBody {
        private final InputStream in;
        private final long length;
        private long sent;

        CountingBody(InputStream in, long length) {
            this.in = in;
            this.length = length;
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
            byte[] buffer = new byte[Streams.BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sink.write(buffer, 0, n);
                sent += n;
            }
        }
    }
}
