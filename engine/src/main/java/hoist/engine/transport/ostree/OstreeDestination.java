package hoist.engine.transport.ostree;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.HoistException;
import hoist.engine.archive.tarsplit.TarHeader;
import hoist.engine.archive.tarsplit.TarSplitRecorder;
import hoist.engine.archive.tarsplit.TarSplitWriter;
import hoist.engine.compress.Compression;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;
import hoist.engine.image.LayerMediaTypes;
import hoist.engine.image.MediaTypes;
import hoist.engine.io.AtomicFiles;
import hoist.engine.transport.BlobInfo;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.IncomingBlob;
import hoist.engine.transport.RawManifest;

import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an image into an OSTree repository as containers/image's ostree transport wrote it.
 * Blobs are staged in a temporary directory; {@link #commit()} then makes, through the
 * {@code ostree} tool:
 * <ul>
 *   <li>for each layer, a commit of its files on {@code ociimage/HEX} (the tar given to
 *       {@code ostree commit --tree=tar=}, devices and FIFOs left out since OSTree cannot hold them),
 *       with the metadata {@code docker.size}, {@code docker.uncompressed_size},
 *       {@code docker.uncompressed_digest} and {@code tarsplit.output} (the layer's tar-split, gzip,
 *       base64), from which the exact layer is rebuilt; a tar-split too large for a command line
 *       is committed on its own ref ({@link OstreeBranches#tarSplit}) instead;</li>
 *   <li>for the config, a commit of one file, {@code content}, with {@code docker.size};</li>
 *   <li>last, the manifest commit on {@code ociimage/IMAGE}: {@code manifest.json} and
 *       {@code signature-N} files, and the metadata {@code docker.manifest}, {@code signatures}
 *       and {@code docker.digest}.</li>
 * </ul>
 * The image's ref is written last, so a reader never sees a half-written image; when a commit
 * fails, the refs this destination had added are removed again.
 *
 * @see <a href="https://github.com/containers/image/blob/v5.33.0/ostree/ostree_dest.go">containers/image ostree_dest.go</a>
 */
final class OstreeDestination implements ImageDestination {

    private final OstreeTransport.OstreeReference reference;
    private final OstreeRepo repo;
    private final Path staging;
    private final Map<Digest, Path> blobs = new ConcurrentHashMap<>();
    private RawManifest manifest;
    private List<byte[]> signatures = List.of();
    private boolean committed;

    private OstreeDestination(OstreeTransport.OstreeReference reference, OstreeRepo repo, Path staging) {
        this.reference = reference;
        this.repo = repo;
        this.staging = staging;
    }

    /**
     * Checks that the repository exists and opens a staging directory under {@code tempDir}.
     *
     * @throws HoistException when the path is not an OSTree repository
     */
    static OstreeDestination open(OstreeTransport.OstreeReference reference, Path tempDir) throws IOException {
        OstreeRepo repo = new OstreeRepo(reference.repo(), reference.text());
        repo.check();
        Files.createDirectories(tempDir);
        return new OstreeDestination(reference, repo, AtomicFiles.createTempDirectory(tempDir, "hoist-ostree-"));
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    /** Docker schema2 first, as containers/image stored; OCI manifests too, which its reader also read. */
    @Override
    public List<String> supportedManifestTypes() {
        return List.of(MediaTypes.DOCKER_MANIFEST, MediaTypes.OCI_MANIFEST);
    }

    @Override
    public boolean acceptsLists() {
        return false;
    }

    @Override
    public boolean supportsSignatures() {
        return true;
    }

    /** A layer whose commit is already in the repository with its metadata is not sent again. */
    @Override
    public Optional<Descriptor> tryReuse(Descriptor blob) throws IOException {
        if (!LayerMediaTypes.isLayer(blob.mediaType())) {
            return Optional.empty();
        }
        String branch = OstreeBranches.blob(blob.digest());
        if (repo.resolve(branch).isEmpty() || repo.metadata(branch, "docker.uncompressed_digest").isEmpty()) {
            return Optional.empty();
        }
        Optional<String> size = repo.metadata(branch, "docker.size");
        if (size.isEmpty() || !size.get().equals(Long.toString(blob.size()))) {
            return Optional.empty();
        }
        return Optional.of(blob);
    }

    @Override
    public Descriptor putBlob(InputStream stream, BlobInfo info) throws IOException {
        IncomingBlob blob = IncomingBlob.receive(stream, info, staging.resolve("blobs"), false);
        Path file = staging.resolve("blobs").resolve(blob.digest().hex());
        blob.moveTo(file);
        blobs.put(blob.digest(), file);
        return new Descriptor(info.mediaType(), blob.digest(), blob.size());
    }

    @Override
    public void putManifest(RawManifest manifest) {
        this.manifest = manifest;
    }

    @Override
    public void putSignatures(List<byte[]> signatures) {
        this.signatures = List.copyOf(signatures);
    }

    @Override
    public void commit() throws IOException {
        if (manifest == null) {
            throw new HoistException(reference.text() + ": no manifest was written");
        }
        JsonNode parsed = Json.read(manifest.bytes());
        Set<Digest> layers = new LinkedHashSet<>();
        for (JsonNode layer : parsed.path("layers")) {
            String mediaType = layer.path("mediaType").asText();
            if (!LayerMediaTypes.isLayer(mediaType)) {
                throw new HoistException(reference.text() + ": layers of type " + mediaType
                        + " cannot be stored in OSTree, which keeps a layer's files");
            }
            layers.add(Digest.parse(layer.path("digest").asText()));
        }
        Set<String> existing = new java.util.HashSet<>(repo.refs());
        List<String> added = new ArrayList<>();
        boolean done = false;
        try {
            for (Digest layer : layers) {
                Path file = blobs.remove(layer);
                if (file != null) {
                    commitLayer(layer, file, existing, added);
                }
            }
            for (Map.Entry<Digest, Path> blob : blobs.entrySet()) {
                commitConfig(blob.getKey(), blob.getValue(), existing, added);
            }
            commitManifest(existing, added);
            done = true;
            committed = true;
        } finally {
            if (!done) {
                for (String ref : added) {
                    try {
                        repo.deleteRef(ref);
                    } catch (RuntimeException | IOException e) {
                        // the first failure is the one to report
                    }
                }
            }
        }
    }

    private void note(String ref, Set<String> existing, List<String> added) {
        if (!existing.contains(ref)) {
            added.add(ref);
        }
    }

    /**
     * Reads the stored layer once: decompressed, it is written to a plain tar for
     * {@code ostree commit}, hashed for its uncompressed digest, and recorded as tar-split.
     */
    private void commitLayer(Digest digest, Path file, Set<String> existing, List<String> added) throws IOException {
        Path work = AtomicFiles.createTempDirectory(staging, "layer-");
        try {
            Path tar = work.resolve("layer.tar");
            Path tarSplit = work.resolve(OstreeBranches.TAR_SPLIT_FILE);
            MessageDigest sha256 = Digest.messageDigest("sha256");
            List<String> skipped = new ArrayList<>();
            long uncompressedSize;
            try (InputStream stored = Files.newInputStream(file);
                 OutputStream plain = new BufferedOutputStream(Files.newOutputStream(tar), 1 << 16);
                 TarSplitWriter lines = new TarSplitWriter(new GZIPOutputStream(Files.newOutputStream(tarSplit), 1 << 16))) {
                Compression.Detected detected = Compression.detect(stored);
                CopyingStream tee = new CopyingStream(detected.compression().decompress(detected.stream()), plain, sha256);
                TarSplitRecorder.record(tee, lines, (TarHeader header, InputStream content) -> {
                    if (header.type() == TarHeader.CHAR_DEVICE || header.type() == TarHeader.BLOCK_DEVICE
                            || header.type() == TarHeader.FIFO) {
                        skipped.add(skipName(header.nameText()));
                    }
                });
                tee.transferTo(OutputStream.nullOutputStream());
                uncompressedSize = tee.count;
            }
            Digest uncompressed = new Digest("sha256", HexFormat.of().formatHex(sha256.digest()));
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("docker.size", Long.toString(Files.size(file)));
            metadata.put("docker.uncompressed_size", Long.toString(uncompressedSize));
            metadata.put("docker.uncompressed_digest", uncompressed.toString());
            if (Files.size(tarSplit) * 4 / 3 + 4 < OstreeRepo.MAX_METADATA_ARGUMENT - 64) {
                metadata.put("tarsplit.output", Base64.getEncoder().encodeToString(Files.readAllBytes(tarSplit)));
            } else {
                Path tree = work.resolve("tarsplit");
                Files.createDirectories(tree);
                Files.move(tarSplit, tree.resolve(OstreeBranches.TAR_SPLIT_FILE));
                String ref = OstreeBranches.tarSplit(digest);
                repo.commit(ref, "dir=" + tree, Map.of(), null);
                note(ref, existing, added);
            }
            Path skipList = null;
            if (!skipped.isEmpty()) {
                skipList = work.resolve("skip");
                Files.write(skipList, skipped, StandardCharsets.UTF_8);
            }
            String ref = OstreeBranches.blob(digest);
            repo.commit(ref, "tar=" + tar, metadata, skipList);
            note(ref, existing, added);
        } finally {
            AtomicFiles.deleteTree(work);
            Files.deleteIfExists(file);
        }
    }

    /** {@code /NAME} without a leading {@code ./} or trailing {@code /}, as ostree's skip list names paths. */
    private static String skipName(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        if (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return "/" + n;
    }

    private void commitConfig(Digest digest, Path file, Set<String> existing, List<String> added) throws IOException {
        Path tree = AtomicFiles.createTempDirectory(staging, "blob-");
        try {
            long size = Files.size(file);
            Files.move(file, tree.resolve("content"));
            String ref = OstreeBranches.blob(digest);
            repo.commit(ref, "dir=" + tree, Map.of("docker.size", Long.toString(size)), null);
            note(ref, existing, added);
        } finally {
            AtomicFiles.deleteTree(tree);
        }
    }

    private void commitManifest(Set<String> existing, List<String> added) throws IOException {
        Path tree = AtomicFiles.createTempDirectory(staging, "manifest-");
        try {
            Files.write(tree.resolve("manifest.json"), manifest.bytes());
            for (int i = 0; i < signatures.size(); i++) {
                Files.write(tree.resolve("signature-" + (i + 1)), signatures.get(i));
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("docker.manifest", new String(manifest.bytes(), StandardCharsets.UTF_8));
            metadata.put("signatures", Integer.toString(signatures.size()));
            metadata.put("docker.digest", manifest.digest().toString());
            String ref = reference.branch();
            repo.commit(ref, "dir=" + tree, metadata, null);
            note(ref, existing, added);
        } finally {
            AtomicFiles.deleteTree(tree);
        }
    }

    /** Removes the staged blobs; after a failed or missing commit the repository has no ref of this image. */
    @Override
    public void close() throws IOException {
        AtomicFiles.deleteTree(staging);
    }

    /** Reading it copies what was read to {@code copy} and a digest, and counts it. */
    private static final class CopyingStream extends FilterInputStream {
        private final OutputStream copy;
        private final MessageDigest digest;
        long count;

        CopyingStream(InputStream in, OutputStream copy, MessageDigest digest) {
            super(in);
            this.copy = copy;
            this.digest = digest;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                copy.write(b);
                digest.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                copy.write(b, off, n);
                digest.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(n, 1 << 16)];
            int read = read(buffer, 0, buffer.length);
            return Math.max(read, 0);
        }
    }
}
