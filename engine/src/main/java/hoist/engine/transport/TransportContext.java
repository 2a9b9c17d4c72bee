package hoist.engine.transport;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What transports need to know of the environment: where the local store lives, where temporary
 * files go, which platform to choose from a list, whether {@code dir:} compresses layers, and how
 * registries are reached.
 */
public record TransportContext(Path storeRoot, Path tempDir, hoist.engine.image.Platform platform,
                               boolean compressDirLayers, RegistryOptions registry, BlobKnowledge knowledge) {

    public TransportContext {
        Objects.requireNonNull(storeRoot, "storeRoot");
        Objects.requireNonNull(tempDir, "tempDir");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(knowledge, "knowledge");
    }

    /** The defaults: {@code HOIST_ROOT} or {@code $XDG_DATA_HOME/hoist/storage}, {@code TMPDIR}, this machine. */
    public static TransportContext defaults() {
        Path root = defaultStoreRoot();
        return new TransportContext(root, defaultTempDir(), hoist.engine.image.Platform.current(), false,
                RegistryOptions.defaults(), new BlobKnowledge(root.resolve("blob-knowledge.json")));
    }

    public TransportContext withStoreRoot(Path root) {
        return new TransportContext(root, tempDir, platform, compressDirLayers, registry,
                new BlobKnowledge(root.resolve("blob-knowledge.json")));
    }

    public TransportContext withTempDir(Path dir) {
        return new TransportContext(storeRoot, dir, platform, compressDirLayers, registry, knowledge);
    }

    public TransportContext withPlatform(hoist.engine.image.Platform p) {
        return new TransportContext(storeRoot, tempDir, p, compressDirLayers, registry, knowledge);
    }

    public TransportContext withCompressDirLayers(boolean value) {
        return new TransportContext(storeRoot, tempDir, platform, value, registry, knowledge);
    }

    public TransportContext withRegistry(RegistryOptions value) {
        return new TransportContext(storeRoot, tempDir, platform, compressDirLayers, value, knowledge);
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
