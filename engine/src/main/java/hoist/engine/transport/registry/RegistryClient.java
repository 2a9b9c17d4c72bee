package hoist.engine.transport.registry;

import hoist.engine.auth.CredentialLookup;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;
import hoist.engine.image.MediaTypes;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The distribution API of one repository: manifests, blobs (check, mount, upload, download) and
 * tags. A facade over the parts that do the work: the {@link RegistryEndpoint} (where the API
 * answers), the {@link RegistryCaller} (authorization, challenges, retries), {@link BlobUpload}
 * and {@link BlobDownload} (streamed, resumable transfers) and the client's own {@link BufferPool}.
 *
 * <p>Every call throws {@link RegistryException} when the registry refuses (its message is the
 * user's {@code Error:} line, with the registry's own error text), and an {@link IOException} whose
 * message names the host when the network fails after the retries.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md">OCI distribution spec</a>
 */
public final class RegistryClient {

    /** Bytes per upload {@code PATCH} unless the system property {@code hoist.uploadSegmentMiB} says otherwise. */
    static final int SEGMENT_MIB = 32;
    /** Bytes of each upload's transfer buffer: also how far back a cut upload can go on without reading again. */
    static final int TRANSFER_BUFFER = 512 * 1024;
    /** Transfer buffers kept between uploads: as many as a copy runs at once (its default parallelism, and a few). */
    static final int KEPT_BUFFERS = 8;

    private final RegistryEndpoint endpoint;
    private final RegistryCaller caller;
    private final String scope;
    private final BlobUpload uploads;
    private final BlobDownload downloads;

    private RegistryClient(RegistryEndpoint endpoint, RegistryCaller caller, String scope, BufferPool buffers,
                           long segmentBytes) {
        this.endpoint = endpoint;
        this.caller = caller;
        this.scope = scope;
        this.uploads = new BlobUpload(endpoint, caller, buffers, scope, segmentBytes);
        this.downloads = new BlobDownload(endpoint, caller, scope);
    }

    /**
     * Connects to the reference's registry: https, or http when TLS verification is off and https
     * fails; credentials from the options, auth.json or a credential helper.
     *
     * @param what the reference as the user wrote it, for messages
     * @param push whether the client will write ({@code pull,push} scope) or only read ({@code pull})
     * @throws hoist.engine.HoistException when no API root answers (after the retries) or certificates cannot be loaded
     */
    static RegistryClient open(String what, DockerReference name, RegistryOptions options, boolean push) throws IOException {
        String registry = name.domain();
        String host = RegistryEndpoint.apiHost(registry);
        boolean verify = options.tlsVerify() == null || options.tlsVerify();
        OkHttpClient http = RegistryHttp.client(host, verify, options.certDir());
        var credentials = new CredentialLookup(options.credentials(), options.authFile()).find(registry, name.path());
        RegistryAuth auth = new RegistryAuth(registry, http, credentials);
        RetryPolicy retry = new RetryPolicy(options.retries(), options.retryDelay());
        RegistryEndpoint endpoint = new RegistryEndpoint(what, RegistryEndpoint.probe(what, host, http, verify, retry), name.path());
        warnIfUnverified(endpoint, host, verify, options);
        long segment = (long) Integer.getInteger("hoist.uploadSegmentMiB", SEGMENT_MIB) * 1024 * 1024;
        return new RegistryClient(endpoint, new RegistryCaller(endpoint, http, auth, retry),
                "repository:" + name.path() + (push ? ":pull,push" : ":pull"),
                new BufferPool(TRANSFER_BUFFER, KEPT_BUFFERS), segment);
    }

    /**
     * Checks credentials against a registry as {@code login} does: the API root ({@code GET /v2/}),
     * answered with them, tried once.
     *
     * @param registry the registry's host[:port] ({@code docker.io} means Docker Hub's API host)
     * @throws RegistryException when the registry refuses the credentials (401) or answers other than 2xx
     * @throws hoist.engine.HoistException when the registry cannot be reached
     * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#determining-support">OCI distribution spec: determining support</a>
     */
    public static void verifyLogin(String registry, RegistryOptions options) throws IOException {
        String host = RegistryEndpoint.apiHost(registry);
        boolean verify = options.tlsVerify() == null || options.tlsVerify();
        OkHttpClient http = RegistryHttp.client(host, verify, options.certDir());
        RetryPolicy once = new RetryPolicy(0, null); // login answers at once, as podman's does
        RegistryEndpoint endpoint = new RegistryEndpoint(registry, RegistryEndpoint.probe(registry, host, http, verify, once), "");
        warnIfUnverified(endpoint, host, verify, options);
        RegistryAuth auth = new RegistryAuth(registry, http, Optional.ofNullable(options.credentials()));
        RegistryCaller caller = new RegistryCaller(endpoint, http, auth, once);
        try (Response response = caller.send(new Request.Builder().url(endpoint.base()).build(), "", true)) {
            if (!response.isSuccessful()) {
                throw RegistryException.from(response, "logging in to " + registry);
            }
        }
    }

    /**
     * Says once per host that a registry reached over https is not verified: the connection is
     * encrypted, but anyone on the way could stand in for the registry and read the credentials.
     */
    private static void warnIfUnverified(RegistryEndpoint endpoint, String host, boolean verify, RegistryOptions options) {
        if (!verify && endpoint.base().isHttps()) {
            options.warnings().once("tls-verify-false " + host, host + ": TLS certificates are not verified "
                    + "(--tls-verify=false): the registry's identity is not checked");
        }
    }

    /**
     * The manifest (or index) named by a tag or digest ({@code GET /v2/NAME/manifests/REF}), with
     * the media type of the registry's {@code Content-Type}, parameters dropped. The bytes are not
     * checked against a digest here: the caller does, as it knows what it asked for.
     *
     * @throws RegistryException when the registry answers other than 2xx (404: no such manifest)
     * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests">OCI distribution spec: pulling manifests</a>
     */
    public RawManifest manifest(String tagOrDigest) throws IOException {
        Request request = new Request.Builder().url(endpoint.url("manifests", tagOrDigest).build())
                .header("Accept", String.join(", ", MediaTypes.ALL_MANIFESTS)).build();
        try (Response response = caller.send(request, scope, true)) {
            if (!response.isSuccessful()) {
                throw RegistryException.from(response, endpoint.what() + ": reading manifest " + tagOrDigest);
            }
            String type = response.header("Content-Type", "");
            int semicolon = type.indexOf(';');
            String what = endpoint.what() + ": manifest " + tagOrDigest;
            byte[] bytes;
            try (InputStream body = response.body().byteStream()) {
                bytes = body.readNBytes(MAX_MANIFEST_BYTES + 1);
            }
            if (bytes.length > MAX_MANIFEST_BYTES) {
                throw new hoist.engine.HoistException(what + " is larger than " + (MAX_MANIFEST_BYTES >> 20)
                        + " MiB, more than a manifest may be");
            }
            checkContentDigest(response.header("Docker-Content-Digest"), bytes, what);
            return new RawManifest(bytes, semicolon < 0 ? type.strip() : type.substring(0, semicolon).strip());
        }
    }

    /** The most a manifest may hold (bytes), as containers/image allows. */
    static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

    /**
     * A registry that names the digest of what it served ({@code Docker-Content-Digest}) must
     * have served those bytes (for a signed schema 1 manifest: their payload's digest).
     *
     * @throws hoist.engine.io.DigestMismatchException when it did not
     * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests">OCI distribution spec: Docker-Content-Digest</a>
     */
    private static void checkContentDigest(String header, byte[] bytes, String what) {
        if (header == null || header.isBlank()) {
            return;
        }
        Digest claimed;
        try {
            claimed = Digest.parse(header.strip());
        } catch (RuntimeException e) {
            throw new hoist.engine.HoistException(what + ": the registry's Docker-Content-Digest \"" + header.strip()
                    + "\" is not a digest");
        }
        if (!claimed.matches(bytes) && !claimed.equals(payloadDigest(bytes))) {
            throw new hoist.engine.io.DigestMismatchException(what + ": the registry says its digest is " + claimed
                    + ", but the bytes it sent are " + Digest.sha256(bytes));
        }
    }

    /** The digest a registry names a manifest by (a signed schema 1 manifest's: its payload's); null when that cannot be told. */
    private static Digest payloadDigest(byte[] bytes) {
        try {
            return hoist.engine.image.ManifestDigest.of(bytes);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Stores a manifest under a tag or its digest ({@code PUT /v2/NAME/manifests/REF}, with its own
     * media type as {@code Content-Type}); the blobs it names must be in the repository already.
     *
     * @return whether the registry answered with an {@code OCI-Subject} header: it honours the
     *         manifest's {@code subject} and lists it among the subject's referrers itself
     * @throws RegistryException when the registry refuses it (e.g. 400 MANIFEST_BLOB_UNKNOWN, 403)
     * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests">OCI distribution spec: pushing manifests</a>
     */
    public boolean putManifest(String tagOrDigest, RawManifest manifest) throws IOException {
        String type = manifest.mediaType() != null ? manifest.mediaType() : manifest.parse().mediaType();
        Request request = new Request.Builder().url(endpoint.url("manifests", tagOrDigest).build())
                .put(RequestBody.create(manifest.bytes(), MediaType.get(type))).build();
        try (Response response = caller.send(request, scope, true)) {
            if (!response.isSuccessful()) {
                throw RegistryException.from(response, endpoint.what() + ": writing manifest " + tagOrDigest);
            }
            return response.header("OCI-Subject") != null;
        }
    }

    /**
     * The manifest tagged {@code tag}, or empty when the repository has no such tag (404).
     *
     * @throws RegistryException when the registry answers other than 2xx or 404
     */
    public Optional<RawManifest> taggedManifest(String tag) throws IOException {
        try {
            return Optional.of(manifest(tag));
        } catch (RegistryException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The referrers of {@code subject} by the referrers API ({@code GET /v2/NAME/referrers/DIGEST},
     * with {@code ?artifactType=} when one is given, following {@code Link} pagination): the
     * descriptors of the image index it answers, filtered here too by {@code artifactType} for a
     * registry that does not apply the filter. Empty when the registry has no referrers API (404),
     * as the distribution spec tells clients to fall back to the referrers tag schema then.
     *
     * @param artifactType the artifact type to keep, or null for every one
     * @throws RegistryException when the registry answers other than 2xx or 404, or with no image index
     * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers">OCI distribution spec: listing referrers</a>
     */
    public Optional<List<hoist.engine.image.Descriptor>> referrers(Digest subject, String artifactType) throws IOException {
        List<hoist.engine.image.Descriptor> found = new ArrayList<>();
        HttpUrl.Builder first = endpoint.url("referrers", subject.toString());
        if (artifactType != null) {
            first.addQueryParameter("artifactType", artifactType);
        }
        HttpUrl next = first.build();
        while (next != null) {
            Request request = new Request.Builder().url(next).header("Accept", MediaTypes.OCI_INDEX).build();
            try (Response response = caller.send(request, scope, true)) {
                if (response.code() == 404 && found.isEmpty()) {
                    return Optional.empty();
                }
                if (!response.isSuccessful()) {
                    throw RegistryException.from(response, endpoint.what() + ": listing referrers of " + subject);
                }
                byte[] body = response.body().bytes();
                try {
                    if (!(hoist.engine.image.Manifest.parse(body, MediaTypes.OCI_INDEX) instanceof hoist.engine.image.ManifestList list)) {
                        throw new hoist.engine.HoistException(endpoint.what() + ": the referrers of " + subject
                                + " are not an image index");
                    }
                    list.manifests().stream().filter(d -> artifactType == null || artifactType.equals(d.artifactType()))
                            .forEach(found::add);
                } catch (hoist.engine.image.InvalidManifestException e) {
                    throw new hoist.engine.HoistException(endpoint.what() + ": the referrers of " + subject
                            + " do not parse: " + e.getMessage(), e);
                }
                next = nextPage(response.header("Link"));
            }
        }
        return Optional.of(found);
    }

    /**
     * Deletes the manifest {@code digest} from the repository ({@code DELETE
     * /v2/NAME/manifests/DIGEST}); every tag that points at it goes with it.
     *
     * @throws RegistryException when the registry refuses: 405 when it does not allow deletion, 404 when the manifest is not there
     * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#deleting-manifests">OCI distribution spec: deleting manifests</a>
     */
    public void deleteManifest(Digest digest) throws IOException {
        Request request = new Request.Builder().url(endpoint.url("manifests", digest.toString()).build()).delete().build();
        try (Response response = caller.send(request, scope, true)) {
            if (!response.isSuccessful()) {
                throw RegistryException.from(response, endpoint.what() + ": deleting manifest " + digest);
            }
        }
    }

    /**
     * The registry's own signature store ({@link SignatureExtension}), when its API root said it
     * offers one with {@code X-Registry-Supports-Signatures: 1}; empty otherwise.
     */
    Optional<SignatureExtension> signatureExtension() {
        return endpoint.signatureExtension() ? Optional.of(new SignatureExtension(endpoint, caller, scope)) : Optional.empty();
    }

    /**
     * Whether the repository has the blob ({@code HEAD /v2/NAME/blobs/DIGEST}: 2xx yes, 404 no).
     *
     * @throws RegistryException for any other answer (401, 403, 5xx after the retries)
     * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#checking-if-content-exists-in-the-registry">OCI distribution spec: checking if content exists</a>
     */
    public boolean blobExists(Digest digest) throws IOException {
        Request request = new Request.Builder().url(endpoint.url("blobs", digest.toString()).build()).head().build();
        try (Response response = caller.send(request, scope, true)) {
            if (response.code() == 404) {
                return false;
            }
            if (!response.isSuccessful()) {
                throw RegistryException.from(response, endpoint.what() + ": checking blob " + digest);
            }
            return true;
        }
    }

    /**
     * The blob's bytes, streamed and unverified (the caller checks them against the digest).
     * Redirects (to storage behind the registry) are followed without the registry's
     * Authorization; a connection broken mid-blob is resumed with a {@code Range} request.
     *
     * @throws RegistryException when the registry answers other than 2xx (404: no such blob)
     * @see BlobDownload
     */
    public InputStream blob(Digest digest) throws IOException {
        return downloads.open(digest);
    }

    /**
     * Asks the registry to mount a blob from another repository of the same registry
     * ({@code POST /v2/NAME/blobs/uploads/?mount=DIGEST&from=OTHER}), which needs pull access there.
     *
     * @return true when mounted (201); false when the registry wants the bytes instead (202, whose
     *         upload session is cancelled) or refuses access to the other repository (401, 403)
     * @throws RegistryException for any other answer
     * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#mounting-a-blob-from-another-repository">OCI distribution spec: mounting a blob from another repository</a>
     */
    public boolean mount(Digest digest, String fromRepository) throws IOException {
        String mountScope = scope + " repository:" + fromRepository + ":pull";
        Request request = new Request.Builder().url(endpoint.url("blobs", "uploads", "").addQueryParameter("mount", digest.toString())
                .addQueryParameter("from", fromRepository).build()).post(RequestBody.create(new byte[0])).build();
        try (Response response = caller.send(request, mountScope, true)) {
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
            throw RegistryException.from(response, endpoint.what() + ": mounting blob " + digest + " from " + fromRepository);
        }
    }

    private void cancelUpload(String location) {
        if (location == null) {
            return;
        }
        try (Response ignored = caller.send(new Request.Builder().url(endpoint.resolve(location)).delete().build(), scope, true)) {
            // the upload session is abandoned either way
        } catch (IOException e) {
            // a stale upload session expires on the registry by itself
        }
    }

    /**
     * Streams a blob to the repository; see {@link BlobUpload} for the requests and the resumption.
     *
     * @param stream      the blob's bytes, read to their end (and not closed)
     * @param knownDigest the blob's digest, or null to compute it on the way
     * @param knownSize   the blob's size in bytes, or a negative number for any size
     * @return the digest and size (bytes) the registry stored
     * @throws UploadInterruptedException a cut the session survived: {@link #resume} it with a new read
     * @throws UploadLostException        the registry dropped the session: upload again from the start
     * @throws RegistryException          the registry refused the upload
     * @throws IOException                the stream's own failure, unchanged, or the network's after the retries
     */
    public UploadedBlob upload(InputStream stream, Digest knownDigest, long knownSize) throws IOException {
        return uploads.upload(stream, knownDigest, knownSize, null);
    }

    /**
     * Goes on with an interrupted upload: {@code stream} is a new read of the same bytes, whose
     * first {@code session.offset()} bytes are read but not sent. Throws as {@link #upload} does;
     * {@link UploadLostException} also when the registry finds the result's digest wrong (the new
     * read differed from the first).
     */
    UploadedBlob resume(BlobUpload.Session session, InputStream stream, Digest knownDigest, long knownSize)
            throws IOException {
        return uploads.upload(stream, knownDigest, knownSize, session);
    }

    /**
     * What the registry stored.
     *
     * @param digest the blob's digest, as given or as computed on the way
     * @param size   the blob's size in bytes, as sent (after any recompression)
     */
    public record UploadedBlob(Digest digest, long size) {
    }

    /**
     * Every tag of the repository ({@code GET /v2/NAME/tags/list}), following {@code Link}
     * pagination; in the registry's order.
     *
     * @throws RegistryException when the registry answers other than 2xx (404: no such repository)
     * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags">OCI distribution spec: listing tags</a>
     */
    public List<String> tags() throws IOException {
        return tags(1000);
    }

    /** Tags of the repository, asked for {@code pageSize} (more than 0) at a time. */
    /** The most one page of a tag list may hold (bytes): more is refused as not JSON, as it is cut. */
    private static final int MAX_TAG_LIST_BYTES = 16 * 1024 * 1024;

    List<String> tags(int pageSize) throws IOException {
        List<String> tags = new ArrayList<>();
        HttpUrl next = endpoint.url("tags", "list").addQueryParameter("n", String.valueOf(pageSize)).build();
        while (next != null) {
            try (Response response = caller.send(new Request.Builder().url(next).build(), scope, true)) {
                if (!response.isSuccessful()) {
                    throw RegistryException.from(response, endpoint.what() + ": listing tags");
                }
                com.fasterxml.jackson.databind.JsonNode list;
                try (InputStream body = response.body().byteStream()) {
                    list = Json.read(body.readNBytes(MAX_TAG_LIST_BYTES + 1));
                } catch (com.fasterxml.jackson.core.JacksonException e) {
                    throw new hoist.engine.HoistException(endpoint.what() + ": the registry's tag list is not valid JSON: "
                            + Json.problem(e));
                }
                if (list == null || !list.isObject() || !list.path("tags").isArray() && !list.path("tags").isNull()
                        && !list.path("tags").isMissingNode()) {
                    throw new hoist.engine.HoistException(endpoint.what() + ": the registry's tag list is not {\"tags\": [...]}");
                }
                list.path("tags").forEach(t -> tags.add(t.asText()));
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
        return open < 0 || close < 0 ? null : endpoint.resolve(link.substring(open + 1, close));
    }
}
