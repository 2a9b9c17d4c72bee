package hoist.engine.transport.ostree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.HoistException;
import hoist.engine.archive.tarsplit.TarAssembler;
import hoist.engine.archive.tarsplit.TarSplitReader;
import hoist.engine.compress.Compression;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;
import hoist.engine.image.LayerMediaTypes;
import hoist.engine.image.ManifestFormat;
import hoist.engine.image.MediaTypes;
import hoist.engine.io.AtomicFiles;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Reads an image that containers/image's ostree transport (or hoist) wrote. OSTree keeps a
 * layer's files, not its compressed bytes, so the layers are given as the uncompressed tars
 * they were: the manifest read back names each layer by its {@code docker.uncompressed_digest}
 * and {@code docker.uncompressed_size}, with the uncompressed media type, and each layer is
 * rebuilt from its tar-split and a checkout of its commit, byte for byte, so its digest is the
 * config's diff ID. A manifest whose layers were stored uncompressed reads back unchanged.
 *
 * @see <a href="https://github.com/containers/image/blob/v5.33.0/ostree/ostree_src.go">containers/image ostree_src.go</a>
 */
final class OstreeSource implements ImageSource {

    private final OstreeTransport.OstreeReference reference;
    private final OstreeRepo repo;
    private final Path tempDir;
    private final RawManifest manifest;
    /** Uncompressed layer digest to the digest the layer was stored under. */
    private final Map<Digest, Digest> storedLayers;
    private final boolean manifestAsStored;

    private OstreeSource(OstreeTransport.OstreeReference reference, OstreeRepo repo, Path tempDir, RawManifest manifest,
                         Map<Digest, Digest> storedLayers, boolean manifestAsStored) {
        this.reference = reference;
        this.repo = repo;
        this.tempDir = tempDir;
        this.manifest = manifest;
        this.storedLayers = storedLayers;
        this.manifestAsStored = manifestAsStored;
    }

    /**
     * Reads the image's manifest and its layers' metadata.
     *
     * @throws HoistException when the path is not a repository, the image is not in it, or a
     *                        layer's commit lacks its metadata
     */
    static OstreeSource open(OstreeTransport.OstreeReference reference, Path tempDir) throws IOException {
        String what = reference.text();
        OstreeRepo repo = new OstreeRepo(reference.repo(), what);
        repo.check();
        String branch = reference.branch();
        if (repo.resolve(branch).isEmpty()) {
            throw new HoistException(what + ": no image " + reference.image() + " in " + reference.repo()
                    + " (no ref " + branch + ")");
        }
        byte[] stored = repo.readSmallFile(branch, "/manifest.json");
        JsonNode parsed = Json.read(stored);
        String mediaType = parsed.path("mediaType").asText(
                MediaTypes.OCI_CONFIG.equals(parsed.path("config").path("mediaType").asText()) ? MediaTypes.OCI_MANIFEST
                        : MediaTypes.DOCKER_MANIFEST);
        if (!parsed.path("layers").isArray() || parsed.path("schemaVersion").asInt() != 2) {
            throw new HoistException(what + ": the manifest in " + branch + " is not a Docker schema2 or OCI image manifest");
        }
        ManifestFormat format = mediaType.equals(MediaTypes.OCI_MANIFEST) ? ManifestFormat.OCI : ManifestFormat.V2S2;
        Map<Digest, Digest> storedLayers = new HashMap<>();
        ObjectNode rewritten = (ObjectNode) parsed.deepCopy();
        boolean changed = false;
        for (JsonNode layer : rewritten.path("layers")) {
            Digest digest = Digest.parse(layer.path("digest").asText());
            String layerBranch = OstreeBranches.blob(digest);
            Digest uncompressed = Digest.parse(repo.metadata(layerBranch, "docker.uncompressed_digest").orElseThrow(
                    () -> new HoistException(what + ": layer " + digest + " has no docker.uncompressed_digest in " + layerBranch)));
            long size = Long.parseLong(repo.metadata(layerBranch, "docker.uncompressed_size").orElseThrow(
                    () -> new HoistException(what + ": layer " + digest + " has no docker.uncompressed_size in " + layerBranch)));
            storedLayers.put(uncompressed, digest);
            String type = layer.path("mediaType").asText();
            Compression compression = LayerMediaTypes.compressionOf(type);
            boolean nonDistributable = type.contains("nondistributable") || type.contains("foreign");
            String plainType = compression == null ? type : LayerMediaTypes.of(format, Compression.NONE, nonDistributable);
            if (!uncompressed.equals(digest) || !plainType.equals(type)) {
                ObjectNode node = (ObjectNode) layer;
                node.put("mediaType", plainType);
                node.put("digest", uncompressed.toString());
                node.put("size", size);
                changed = true;
            }
        }
        byte[] bytes = changed ? Json.write(rewritten) : stored;
        return new OstreeSource(reference, repo, tempDir, new RawManifest(bytes, mediaType), storedLayers, !changed);
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    @Override
    public RawManifest manifest(Digest instance) {
        if (instance != null && !instance.equals(manifest.digest())) {
            throw new HoistException(reference.text() + ": manifest lists are not stored in OSTree; no manifest " + instance);
        }
        return manifest;
    }

    @Override
    public InputStream blob(Descriptor blob) throws IOException {
        Digest stored = storedLayers.get(blob.digest());
        if (stored == null) {
            return repo.cat(OstreeBranches.blob(blob.digest()), "/content");
        }
        String branch = OstreeBranches.blob(stored);
        byte[] tarSplit = tarSplit(stored, branch);
        Path checkout = AtomicFiles.createTempDirectory(tempDir, "hoist-ostree-layer-");
        boolean handedOver = false;
        try {
            Path root = checkout.resolve("root");
            repo.checkout(branch, root);
            TarSplitReader lines = new TarSplitReader(new GZIPInputStream(new ByteArrayInputStream(tarSplit)),
                    reference.text() + " layer " + stored);
            InputStream tar = new TarAssembler(lines, root, reference.text() + " layer " + stored);
            handedOver = true;
            return new FilterInputStream(tar) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        AtomicFiles.deleteTree(checkout);
                    }
                }
            };
        } finally {
            if (!handedOver) {
                AtomicFiles.deleteTree(checkout);
            }
        }
    }

    /** The layer's gzip-compressed tar-split, from its metadata or from the ref it was committed on when large. */
    private byte[] tarSplit(Digest stored, String branch) throws IOException {
        Optional<String> inline = repo.metadata(branch, "tarsplit.output");
        if (inline.isPresent()) {
            return Base64.getDecoder().decode(inline.get());
        }
        String separate = OstreeBranches.tarSplit(stored);
        if (repo.resolve(separate).isEmpty()) {
            throw new HoistException(reference.text() + ": layer " + stored + " has no tar-split (no tarsplit.output in "
                    + branch + "), so its tar cannot be rebuilt");
        }
        try (InputStream in = repo.cat(separate, "/" + OstreeBranches.TAR_SPLIT_FILE)) {
            return in.readAllBytes();
        }
    }

    /**
     * The stored signatures, when the manifest reads back as it was stored; none when its layers
     * are given uncompressed instead, since they signed a manifest this source cannot give.
     */
    @Override
    public List<byte[]> signatures(Digest instance) throws IOException {
        if (!manifestAsStored) {
            return List.of();
        }
        String branch = reference.branch();
        int count = Integer.parseInt(repo.metadata(branch, "signatures").orElse("0"));
        List<byte[]> signatures = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            signatures.add(repo.readSmallFile(branch, "/signature-" + i));
        }
        return signatures;
    }
}
