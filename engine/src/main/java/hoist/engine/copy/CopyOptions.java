package hoist.engine.copy;

import hoist.engine.compress.Compression;
import hoist.engine.image.ManifestFormat;

import java.nio.file.Path;

/**
 * What a copy should do beyond moving bytes. {@code format} and {@code compression} null mean
 * "as the source has it, where the destination allows"; {@code disableCompression} keeps layers
 * as they are even where the destination would compress them.
 */
public record CopyOptions(boolean all, ManifestFormat format, Compression compression, Integer compressionLevel,
                          boolean forceCompression, boolean disableCompression, boolean removeSignatures,
                          Path digestFile, int parallelism) {

    public static final int DEFAULT_PARALLELISM = 6;

    public CopyOptions {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
    }

    public static CopyOptions defaults() {
        return new CopyOptions(false, null, null, null, false, false, false, null, DEFAULT_PARALLELISM);
    }

    public CopyOptions withAll(boolean value) {
        return new CopyOptions(value, format, compression, compressionLevel, forceCompression, disableCompression,
                removeSignatures, digestFile, parallelism);
    }

    public CopyOptions withFormat(ManifestFormat value) {
        return new CopyOptions(all, value, compression, compressionLevel, forceCompression, disableCompression,
                removeSignatures, digestFile, parallelism);
    }

    public CopyOptions withCompression(Compression value, Integer level, boolean force) {
        return new CopyOptions(all, format, value, level, force, disableCompression, removeSignatures, digestFile, parallelism);
    }

    public CopyOptions withDisableCompression(boolean value) {
        return new CopyOptions(all, format, compression, compressionLevel, forceCompression, value, removeSignatures,
                digestFile, parallelism);
    }

    public CopyOptions withRemoveSignatures(boolean value) {
        return new CopyOptions(all, format, compression, compressionLevel, forceCompression, disableCompression, value,
                digestFile, parallelism);
    }

    public CopyOptions withDigestFile(Path value) {
        return new CopyOptions(all, format, compression, compressionLevel, forceCompression, disableCompression,
                removeSignatures, value, parallelism);
    }

    public CopyOptions withParallelism(int value) {
        return new CopyOptions(all, format, compression, compressionLevel, forceCompression, disableCompression,
                removeSignatures, digestFile, value);
    }
}
