package hoist.dsl.command;

import hoist.dsl.Session;
import hoist.engine.HoistException;
import hoist.engine.compress.Compression;
import hoist.engine.compress.CompressionDefaults;
import hoist.engine.copy.CopyOptions;
import hoist.engine.copy.ProgressListener;
import hoist.engine.image.ManifestFormat;
import hoist.engine.image.Platform;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.TransportContext;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * The options push and copy share, named as podman push names them; skopeo's spellings
 * ({@code -a}, {@code --dest-compress-format}, {@code --dest-compress-level}, {@code --dest-compress})
 * are aliases.
 */
public final class CopyFlags {

    @Mixin
    RegistryFlags registry;

    @Option(names = {"-a", "--all"}, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Copy every image of a manifest list, then the list.")
    Boolean all;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Copy the image of a manifest list for this platform; several: those images and a list of just them.")
    List<String> platforms = List.of();

    @Option(names = "--multi-arch", paramLabel = "WHICH", completionCandidates = MultiArchNames.class,
            description = "Of a manifest list copy: system (this platform's image), all (every image and the list), "
                    + "index-only (the list alone).")
    String multiArch;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", completionCandidates = FormatNames.class,
            description = "Manifest format: oci, v2s2 (or v2s1).")
    String format;

    @Option(names = {"--compression-format", "--dest-compress-format"}, paramLabel = "FORMAT",
            completionCandidates = CompressionNames.class, description = "Layer compression: gzip, zstd.")
    String compressionFormat;

    @Option(names = {"--compression-level", "--dest-compress-level"}, paramLabel = "N",
            description = "Compression level for the chosen format.")
    Integer compressionLevel;

    @Option(names = "--force-compression", description = "Recompress layers even when already in the chosen format.")
    boolean forceCompression;

    @Option(names = {"-D", "--disable-compression"}, description = "Do not compress layers that are not compressed.")
    boolean disableCompression;

    @Option(names = {"--compress", "--dest-compress"}, description = "Compress layers when writing to a dir: destination.")
    boolean compress;

    @Option(names = "--digestfile", paramLabel = "FILE", description = "Write the manifest digest to FILE.")
    Path digestFile;

    @Mixin
    ProgressFlags progress;

    @Option(names = "--remove-signatures", description = "Do not copy signatures.")
    boolean removeSignatures;

    @Option(names = "--preserve-digests",
            description = "Write every manifest exactly as read (no recompression, no format change); refuse a copy that would change one.")
    boolean preserveDigests;

    @Option(names = "--referrers",
            description = "Copy what is attached to each manifest too: OCI referrers and cosign's .sig, .att and .sbom tags.")
    boolean referrers;

    @Mixin
    SigningFlags signing;

    @Option(names = "--disable-content-trust", description = "Accepted for compatibility; no effect.")
    boolean disableContentTrust;

    @Mixin
    EncryptionFlags encryption;

    /** The engine's options from these flags; conflicting or bad values are usage errors. */
    public CopyOptions toOptions() {
        return toOptions(false);
    }

    /** As {@link #toOptions()}, with {@code allByDefault} where {@code --all} is not given ({@code manifest push}). */
    public CopyOptions toOptions(boolean allByDefault) {
        if (disableCompression && (compressionFormat != null || forceCompression)) {
            throw HoistException.usage("--disable-compression cannot be combined with --compression-format or --force-compression");
        }
        boolean chosen = !platforms.isEmpty() || multiArch != null;
        if (all != null && chosen) {
            throw HoistException.usage("--all cannot be combined with --platform or --multi-arch");
        }
        if (!platforms.isEmpty() && multiArch != null) {
            throw HoistException.usage("--platform cannot be combined with --multi-arch");
        }
        boolean every = all != null ? all : multiArch != null ? multiArch(multiArch) : !chosen && allByDefault;
        CopyOptions options = CopyOptions.defaults().withAll(every)
                .withPlatforms(platforms.stream().map(CopyFlags::platform).toList())
                .withIndexOnly("index-only".equals(multiArch))
                .withRemoveSignatures(removeSignatures)
                .withDigestFile(digestFile)
                .withDisableCompression(disableCompression)
                .withPreserveDigests(preserveDigests)
                .withReferrers(referrers);
        if (format != null) {
            options = options.withFormat(ManifestFormat.parse(format));
        }
        Compression compression = compressionFormat == null ? null : Compression.parse(compressionFormat);
        options = encryption.apply(options.withCompression(compression, compressionLevel, forceCompression));
        // a default must not turn a copy that keeps the manifest into one that is refused
        return preserveDigests ? options : withConfDefaults(options, CompressionDefaults.load());
    }

    /**
     * containers.conf's {@code compression_format} and {@code compression_level} where the command
     * line gives none, as podman reads them; not when compression is disabled.
     */
    public static CopyOptions withConfDefaults(CopyOptions options, CompressionDefaults defaults) {
        if (options.disableCompression()) {
            return options;
        }
        Compression format = options.compression() != null ? options.compression() : defaults.format();
        Integer level = options.compressionLevel() != null ? options.compressionLevel() : defaults.level();
        return options.withCompression(format, level, options.forceCompression());
    }

    /** skopeo's {@code --multi-arch}: true for all, false for system and index-only. */
    private static boolean multiArch(String value) {
        return switch (value) {
            case "all" -> true;
            case "system", "index-only" -> false;
            default -> throw HoistException.usage("--multi-arch must be system, all or index-only, got \"" + value + "\"");
        };
    }

    private static Platform platform(String text) {
        try {
            return Platform.parse(text);
        } catch (IllegalArgumentException e) {
            throw HoistException.usage("--platform: " + e.getMessage());
        }
    }

    /** The session's transport context with what these flags say of destinations. */
    public TransportContext context(TransportContext base) {
        return registry.apply(base.withCompressDirLayers(compress));
    }

    /** What the copy does with signatures: lookaside stores, a new signature ({@code --sign-by}). */
    public hoist.engine.sign.Signing signing() {
        return signing.signing();
    }

    public boolean quiet() {
        return progress.quiet();
    }

    /** The listener showing a copy's progress, as {@code --progress} and {@code --quiet} say. */
    public ProgressListener listener(Session session, List<ImageReference> destinations) {
        return progress.listener(session, destinations);
    }

    /** The --format values offered by completion. */
    static final class FormatNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.List.of("oci", "v2s2").iterator();
        }
    }

    /** The --multi-arch values offered by completion. */
    static final class MultiArchNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("system", "all", "index-only").iterator();
        }
    }

    /** The --compression-format values offered by completion. */
    static final class CompressionNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.List.of("gzip", "zstd").iterator();
        }
    }
}
