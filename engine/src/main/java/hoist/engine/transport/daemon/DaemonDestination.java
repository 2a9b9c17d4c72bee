package hoist.engine.transport.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.HoistException;
import hoist.engine.compress.Compression;
import hoist.engine.image.Descriptor;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.Json;
import hoist.engine.image.Manifest;
import hoist.engine.image.MediaTypes;
import hoist.engine.transport.BlobInfo;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.dockerarchive.ArchiveStreamWriter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Writes an image into the daemon as the body of {@code POST /images/load}: a docker archive made
 * as the blobs arrive and sent as they are made (chunked), never staged whole. Layers go as the
 * source stores them, compressed or not ({@code docker load} decompresses gzip itself, and zstd
 * from Docker 23, API 1.42; for older daemons a zstd layer is decompressed here, which means it is
 * received into a temporary file first, since a tar entry needs its size up front). The daemon
 * applies nothing before the archive is complete: a copy that fails closes the connection in the
 * middle of the body, and the daemon keeps nothing of it.
 */
final class DaemonDestination implements ImageDestination {

    /** The first API version whose {@code images/load} reads zstd layers (Docker 23). */
    private static final String ZSTD_API = "1.42";

    private final DaemonReference reference;
    private final EngineClient client;
    private final TransportContext context;
    private final boolean daemonReadsZstd;
    private EngineClient.Upload upload;
    private ArchiveStreamWriter archive;
    private ImageManifest manifest;

    private DaemonDestination(DaemonReference reference, EngineClient client, TransportContext context, boolean daemonReadsZstd) {
        this.reference = reference;
        this.client = client;
        this.context = context;
        this.daemonReadsZstd = daemonReadsZstd;
    }

    /** Reaches the daemon (so an unreachable one fails before anything is read); the upload starts with the first blob. */
    static DaemonDestination open(DaemonReference reference, EngineClient client, TransportContext context) throws IOException {
        String version = client.apiVersion();
        return new DaemonDestination(reference, client, context, EngineClient.compare(version, ZSTD_API) >= 0);
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    /**
     * Either single-image format: the daemon keeps no manifest (it makes its own from the config
     * and layers), so none is converted on the way.
     */
    @Override
    public List<String> supportedManifestTypes() {
        return List.of(MediaTypes.DOCKER_MANIFEST, MediaTypes.OCI_MANIFEST);
    }

    @Override
    public boolean acceptsLists() {
        return false;
    }

    @Override
    public boolean acceptsParallelBlobs() {
        return false;
    }

    @Override
    public Optional<Descriptor> tryReuse(Descriptor blob) {
        return archive != null && archive.contains(blob.digest()) ? Optional.of(blob) : Optional.empty();
    }

    @Override
    public Descriptor putBlob(InputStream stream, BlobInfo info) throws IOException {
        ArchiveStreamWriter writer = writer();
        InputStream in = stream;
        BlobInfo as = info;
        if (!info.isConfig() && !daemonReadsZstd) {
            Compression.Detected detected = Compression.detect(stream);
            in = detected.stream();
            if (detected.compression() == Compression.ZSTD) {
                in = Compression.ZSTD.decompress(in);
                as = new BlobInfo(null, -1, info.mediaType(), info.kind());
            }
        }
        try {
            if (as == info) {
                return writer.putBlob(in, info);
            }
            writer.putBlob(in, as, info.digest());
            return new Descriptor(info.mediaType(), info.digest(), info.size());
        } catch (IOException e) {
            throw daemonAnswer(e);
        }
    }

    private ArchiveStreamWriter writer() throws IOException {
        if (archive == null) {
            upload = client.post("/images/load?quiet=1", "application/x-tar");
            archive = new ArchiveStreamWriter(upload.body(), context.tempDir());
        }
        return archive;
    }

    @Override
    public void putManifest(RawManifest raw) {
        Manifest parsed = raw.parse();
        if (!(parsed instanceof ImageManifest image)) {
            throw new HoistException(reference.text() + ": the Docker daemon cannot hold a manifest list");
        }
        this.manifest = image;
    }

    @Override
    public void commit() throws IOException {
        if (manifest == null) {
            throw new IllegalStateException("commit before putManifest");
        }
        ArchiveStreamWriter writer = writer();
        EngineClient.Response response;
        try {
            writer.finish(manifest, List.of(reference.name().familiar()));
            response = upload.finish();
        } catch (IOException e) {
            throw daemonAnswer(e);
        }
        try (response) {
            checkLoaded(response);
        }
    }

    /** Reads the daemon's progress messages to their end; an error among them fails the commit. */
    private void checkLoaded(EngineClient.Response response) throws IOException {
        if (!response.ok()) {
            throw new HoistException(reference.text() + ": " + client.host().describe() + " refused the image: "
                    + response.errorMessage());
        }
        BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        String line;
        String error = null;
        while ((line = lines.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode message;
            try {
                message = Json.read(line.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                continue;
            }
            if (message != null && message.hasNonNull("error") && error == null) {
                error = message.path("errorDetail").path("message").asText(message.get("error").asText());
            }
        }
        if (error != null) {
            throw new HoistException(reference.text() + ": " + client.host().describe() + " could not load the image: " + error);
        }
    }

    /**
     * A failure while sending: when the daemon hung up, its answer (usually why) replaces the
     * broken-pipe error; other failures pass through.
     */
    private IOException daemonAnswer(IOException failure) {
        if (upload == null || !upload.connectionBroken()) {
            return failure;
        }
        try (EngineClient.Response response = upload.answerAfterHangUp()) {
            String message = response.ok() ? null : response.errorMessage();
            if (message != null) {
                throw new HoistException(reference.text() + ": " + client.host().describe() + " refused the image: " + message, failure);
            }
        } catch (IOException e) {
            // no answer came: the broken pipe is all there is to say
        }
        return new IOException(reference.text() + ": " + client.host().describe() + " closed the connection while the image was sent: "
                + failure.getMessage(), failure);
    }

    @Override
    public void close() throws IOException {
        if (upload != null) {
            upload.close();
        }
    }
}
