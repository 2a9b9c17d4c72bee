package hoist.engine.copy;

import hoist.engine.compress.Compression;
import hoist.engine.crypt.LayerCrypto;
import hoist.engine.image.ManifestFormat;

import hoist.engine.image.Platform;

import java.nio.file.Path;
import java.util.List;

/**
 * What a copy should do beyond moving bytes. {@code format} and {@code compression} null mean
 * "as the source has it, where the destination allows"; {@code disableCompression} keeps layers
 * as they are even where the destination would compress them. Of a list source, one image (for the
 * context's platform) is copied unless {@code all} (every image and the list), {@code platforms}
 * (those images and a list of just them) or {@code indexOnly} (the list alone) says otherwise.
 * {@code preserveDigests} forbids any change to the manifests (see {@link #withPreserveDigests}).
 * {@code crypto} (null: {@link LayerCrypto#NONE}) says which layers are encrypted and with which keys
 * encrypted layers are decrypted. {@code referrers} copies what is attached to each manifest copied
 * (see {@link #withReferrers}).
 */
public record CopyOptions(boolean all, ManifestFormat format, Compression compression, Integer compressionLevel,
                          boolean forceCompression, boolean disableCompression, boolean removeSignatures,
                          Path digestFile, int parallelism, List<Platform> platforms, boolean indexOnly,
                          boolean preserveDigests, LayerCrypto crypto, boolean referrers) {

    public static final int DEFAULT_PARALLELISM = 6;

    public CopyOptions {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        platforms = platforms == null ? List.of() : List.copyOf(platforms);
        crypto = crypto == null ? LayerCrypto.NONE : crypto;
    }

    public static CopyOptions defaults() {
        return new CopyOptions(false, null, null, null, false, false, false, null, DEFAULT_PARALLELISM, List.of(), false, false, LayerCrypto.NONE, false);
    }

    public CopyOptions withAll(boolean value) {
        return new CopyOptions(value, format, compression, compressionLevel, forceCompression, disableCompression,
                removeSignatures, digestFile, parallelism, platforms, indexOnly, preserveDigests, crypto, referrers);
    }

    public CopyOptions withFormat(ManifestFormat value) {
        return new CopyOptions(all, value, compression, compressionLevel, forceCompression, disableCompression,
                removeSignatures, digestFile, parallelism, platforms, indexOnly, preserveDigests, crypto, referrers);
    }

    public CopyOptions withCompression(Compression value, Integer level, boolean force) {
        return new CopyOptions(all, format, value, level, force, disableCompression, removeSignatures, digestFile, parallelism,
                platforms, indexOnly, preserveDigests, crypto, referrers);
    }

    public CopyOptions withDisableCompression(boolean value) {
        return new CopyOptions(all, format, compression, compressionLevel, forceCompression, value, removeSignatures,
                digestFile, parallelism, platforms, indexOnly, preserveDigests, crypto, referrers);
    }

    public CopyOptions withRemoveSignatures(boolean value) {
        return new CopyOptions(all, format, compression, compressionLevel, forceCompression, disableCompression, value,
                digestFile, parallelism, platforms, indexOnly, preserveDigests, crypto, referrers);
    }

    public CopyOptions withDigestFile(Path value) {
        return new CopyOptions(all, format, compression, compressionLevel, forceCompression, disableCompression,
                removeSignatures, value, parallelism, platforms, indexOnly, preserveDigests, crypto, referrers);
    }

    /**
     * Copy only the images of a list for these platforms (each must be there) and write a list of
     * just those, as skopeo and podman do with {@code --platform}; empty: as {@link #all()} says.
     */
    public CopyOptions withPlatforms(List<Platform> value) {
        return new CopyOptions(all, format, compression, compressionLevel, forceCompression, disableCompression,
                removeSignatures, digestFile, parallelism, value, indexOnly, preserveDigests, crypto, referrers);
    }

    /** Copy a list alone, none of its images (skopeo's {@code --multi-arch index-only}). */
    public CopyOptions withIndexOnly(boolean value) {
        return new CopyOptions(all, format, compression, compressionLevel, forceCompression, disableCompression,
                removeSignatures, digestFile, parallelism, platforms, value, preserveDigests, crypto, referrers);
    }

    /**
     * Every manifest must reach the destinations exactly as read, byte for byte (skopeo's
     * {@code --preserve-digests}): no recompression and no format conversion; a copy that would
     * need either is refused before any blob is sent. Destinations named by digest always get this.
     */
    public CopyOptions withPreserveDigests(boolean value) {
        return new CopyOptions(all, format, compression, compressionLevel, forceCompression, disableCompression,
                removeSignatures, digestFile, parallelism, platforms, indexOnly, value, crypto, referrers);
    }

    public CopyOptions withParallelism(int value) {
        return new CopyOptions(all, format, compression, compressionLevel, forceCompression, disableCompression,
                removeSignatures, digestFile, value, platforms, indexOnly, preserveDigests, crypto, referrers);
    }

    /**
     * Copy, after each manifest, what is attached to it: its OCI 1.1 referrers and cosign's
     * {@code sha256-HEX.sig}/{@code .att}/{@code .sbom} tags, and what is attached to those
     * ({@code --referrers}). They name the manifest by digest, so a copy that changes a manifest's
     * digest fails at the destinations it changed.
     */
    public CopyOptions withReferrers(boolean value) {
        return new CopyOptions(all, format, compression, compressionLevel, forceCompression, disableCompression,
                removeSignatures, digestFile, parallelism, platforms, indexOnly, preserveDigests, crypto, value);
    }

    /** Encrypt layers for, and decrypt them with, what {@code value} says ({@code --encryption-key}, {@code --decryption-key}). */
    public CopyOptions withCrypto(LayerCrypto value) {
        return new CopyOptions(all, format, compression, compressionLevel, forceCompression, disableCompression,
                removeSignatures, digestFile, parallelism, platforms, indexOnly, preserveDigests, value, referrers);
    }
}
