package hoist.engine.transport;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What transports need to know of the environment: where the local store lives, where temporary
 * files go, which platform to choose from a list, whether {@code dir:} compresses layers, how
 * registries are reached, where {@code oci:} layouts keep their blobs ({@code ociSharedBlobDir},
 * null: each layout's own {@code blobs/}), and the names a written {@code docker-archive:} carries
 * besides its own ({@code archiveAdditionalTags}, tagged, never null).
 *
 * @see <a href="https://github.com/containers/image/blob/main/types/types.go">containers/image's SystemContext
 *      (OCISharedBlobDirPath, DockerArchiveAdditionalTags)</a>
 */
public record TransportContext(Path storeRoot, Path tempDir, hoist.engine.image.Platform platform,
                               boolean compressDirLayers, RegistryOptions registry, BlobKnowledge knowledge,
                               Path ociSharedBlobDir, java.util.List<DockerReference> archiveAdditionalTags) {

    public TransportContext(Path storeRoot, Path tempDir, hoist.engine.image.Platform platform,
                            boolean compressDirLayers, RegistryOptions registry, BlobKnowledge knowledge) {
        this(storeRoot, tempDir, platform, compressDirLayers, registry, knowledge, null, java.util.List.of());
    }

    public TransportContext {
        Objects.requireNonNull(storeRoot, "storeRoot");
        Objects.requireNonNull(tempDir, "tempDir");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(knowledge, "knowledge");
        archiveAdditionalTags = java.util.List.copyOf(archiveAdditionalTags);
    }

    /** The defaults: {@code HOIST_ROOT} or {@code $XDG_DATA_HOME/hoist/storage}, {@code TMPDIR}, this machine. */
    public static TransportContext defaults() {
        Path root = defaultStoreRoot();
        return new TransportContext(root, defaultTempDir(), hoist.engine.image.Platform.current(), false,
                RegistryOptions.defaults(), new BlobKnowledge(root.resolve("blob-knowledge.json")));
    }

    public TransportContext withStoreRoot(Path root) {
        return new TransportContext(root, tempDir, platform, compressDirLayers, registry,
                new BlobKnowledge(root.resolve("blob-knowledge.json")), ociSharedBlobDir, archiveAdditionalTags);
    }

    public TransportContext withTempDir(Path dir) {
        return new TransportContext(storeRoot, dir, platform, compressDirLayers, registry, knowledge, ociSharedBlobDir, archiveAdditionalTags);
    }

    public TransportContext withPlatform(hoist.engine.image.Platform p) {
        return new TransportContext(storeRoot, tempDir, p, compressDirLayers, registry, knowledge, ociSharedBlobDir, archiveAdditionalTags);
    }

    public TransportContext withCompressDirLayers(boolean value) {
        return new TransportContext(storeRoot, tempDir, platform, value, registry, knowledge, ociSharedBlobDir, archiveAdditionalTags);
    }

    public TransportContext withRegistry(RegistryOptions value) {
        return new TransportContext(storeRoot, tempDir, platform, compressDirLayers, value, knowledge, ociSharedBlobDir, archiveAdditionalTags);
    }

    /**
     * This context with {@code oci:} blobs read from or written to {@code dir} ({@code DIR/sha256/HEX})
     * instead of each layout's {@code blobs/}; null restores the layout's own.
     *
     * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">OCI image layout</a>
     */
    public TransportContext withOciSharedBlobDir(Path dir) {
        return new TransportContext(storeRoot, tempDir, platform, compressDirLayers, registry, knowledge, dir,
                archiveAdditionalTags);
    }

    /** This context with {@code tags} (each with a tag, no digest) added to every written docker archive's names. */
    public TransportContext withArchiveAdditionalTags(java.util.List<DockerReference> tags) {
        return new TransportContext(storeRoot, tempDir, platform, compressDirLayers, registry, knowledge,
                ociSharedBlobDir, tags);
    }

    static Path defaultStoreRoot() {
        String explicit = System.getenv("HOIST_ROOT");
        if (explicit != null && !explicit.isEmpty()) {
            return Path.of(explicit);
        }
        String data = System.getenv("XDG_DATA_HOME");
        Path base = data != null && !data.isEmpty() ? Path.of(data)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("hoist").resolve("storage");
    }

    static Path defaultTempDir() {
        String tmp = System.getenv("TMPDIR");
        return Path.of(tmp != null && !tmp.isEmpty() ? tmp : System.getProperty("java.io.tmpdir", "/var/tmp"));
    }
}
