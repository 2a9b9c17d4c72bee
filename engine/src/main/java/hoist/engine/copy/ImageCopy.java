package hoist.engine.copy;

import hoist.engine.HoistException;
import hoist.engine.crypt.EncryptedMediaTypes;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.LayerMediaTypes;
import hoist.engine.image.ManifestFormat;
import hoist.engine.image.MediaTypes;
import hoist.engine.image.Schema1Manifest;
import hoist.engine.image.VerifyingInputStream;
import hoist.engine.transport.ImageSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Copies one image (a single manifest, its config and layers) to a set of targets. Targets that
 * need the same bytes (same format and layer compressions) share one read of every layer.
 */
final class ImageCopy {

    /** What one group of targets receives: the manifest format and each layer's compression step. */
    private record Plan(ManifestFormat format, List<LayerCompressionPlan.Step> steps) {
    }

    private final ImageSource source;
    private final BlobCopy blobs;
    private final ExecutorService layerPool;
    private final ProgressListener listener;
    private final CopyOptions options;

    ImageCopy(ImageSource source, BlobCopy blobs, ExecutorService layerPool, ProgressListener listener, CopyOptions options) {
        this.source = source;
        this.blobs = blobs;
        this.layerPool = layerPool;
        this.listener = listener;
        this.options = options;
    }

    /**
     * Copies {@code manifest} (the instance {@code instance} of a list, or the top level when
     * null) to every live target. Returns, per target that succeeded, the descriptor of the manifest
     * written there. {@code asInstance} writes it as a list's child rather than as the top level.
     */
    Map<Target, Descriptor> copy(ImageManifest manifest, Digest instance, List<Target> targets, boolean asInstance,
                                 List<byte[]> signatures) throws IOException {
        Map<Plan, List<Target>> groups = group(manifest, targets);
        byte[] config = readConfig(manifest.config());
        ConfigDiffIds diffIds = ConfigDiffIds.of(manifest.config(), config, manifest.layers().size(),
                "config " + manifest.config().digest() + " of " + source.reference().text());
        Map<Target, Descriptor> written = new LinkedHashMap<>();
        for (Map.Entry<Plan, List<Target>> group : groups.entrySet()) {
            Optional<ImageManifest> result = copyGroup(manifest, config, diffIds, group.getKey(), group.getValue());
            if (result.isEmpty()) {
                continue;
            }
            ImageManifest out = result.get();
            boolean changed = !java.util.Arrays.equals(out.raw(), manifest.raw());
            for (Target target : group.getValue()) {
                if (target.alive()) {
                    ManifestWrite.write(target, out, asInstance, changed, signatures, listener, options).ifPresent(d -> written.put(target, d));
                }
            }
        }
        return written;
    }

    private Map<Plan, List<Target>> group(ImageManifest manifest, List<Target> targets) {
        Map<Plan, List<Target>> groups = new LinkedHashMap<>();
        for (Target target : targets) {
            if (!target.alive()) {
                continue;
            }
            try {
                DigestPreservation preservation = target.preservation();
                List<LayerCompressionPlan.Step> steps = new ArrayList<>();
                for (Descriptor layer : manifest.layers()) {
                    steps.add(LayerCompressionPlan.plan(options.crypto().planned(layer), target.destination(), options,
                            preservation.required()));
                }
                LayerEncryptionPlan.adjust(manifest, steps, options.crypto());
                FormatChoice.Choice choice = FormatChoice.choose(manifest, steps, target.destination(),
                        LayerEncryptionPlan.format(manifest, options), options);
                if (preservation.required()) {
                    requireUnchanged(manifest, choice, options.crypto(), preservation, target.name());
                }
                groups.computeIfAbsent(new Plan(choice.format(), choice.steps()), p -> new ArrayList<>()).add(target);
            } catch (RuntimeException e) {
                target.fail(e);
            }
        }
        return groups;
    }

    /** Refuses, before any byte is sent, a plan that would make the manifest differ from the one read. */
    private static void requireUnchanged(ImageManifest manifest, FormatChoice.Choice choice, hoist.engine.crypt.LayerCrypto crypto,
                                         DigestPreservation preservation, String destination) {
        if (choice.format() != manifest.format()) {
            throw preservation.refuse(destination, "the manifest would be converted from " + manifest.format().flag()
                    + " to " + choice.format().flag());
        }
        for (int i = 0; i < choice.steps().size(); i++) {
            LayerCompressionPlan.Step step = choice.steps().get(i);
            Descriptor layer = manifest.layers().get(i);
            if (LayerEncryptionPlan.encrypts(manifest, i, step, crypto) || crypto.decryptsLayer(layer)) {
                throw preservation.refuse(destination, "layer " + layer.digest() + " would be "
                        + (crypto.decryptsLayer(layer) ? "decrypted" : "encrypted"));
            }
            if (step.changesBytes()) {
                String how = step.source() == step.target() ? "recompressed"
                        : step.source() == hoist.engine.compress.Compression.NONE ? "compressed with " + step.target().flag()
                        : step.target() == hoist.engine.compress.Compression.NONE ? "decompressed"
                        : "recompressed from " + step.source().flag() + " to " + step.target().flag();
                throw preservation.refuse(destination, "layer " + manifest.layers().get(i).digest() + " would be " + how);
            }
        }
    }

    private byte[] readConfig(Descriptor config) throws IOException {
        if (config.size() > 64L * 1024 * 1024) {
            throw new HoistException("config " + config.digest() + " of " + source.reference().text() + " is "
                    + config.size() + " bytes, too large for an image config");
        }
        try (InputStream in = new VerifyingInputStream(source.blob(config), config.digest(), config.size(), source.reference().text() + ": config")) {
            return in.readAllBytes();
        }
    }

    /** Copies the layers (in parallel) and the config; returns the manifest as it is to be written. */
    private Optional<ImageManifest> copyGroup(ImageManifest manifest, byte[] config, ConfigDiffIds diffIds, Plan plan,
                                              List<Target> targets) throws IOException {
        Optional<List<Descriptor>> layers = copyLayers(manifest, diffIds, plan, targets);
        if (layers.isEmpty()) {
            return Optional.empty();
        }
        blobs.copyConfig(manifest.config(), config, targets);
        return Optional.of(rewrite(manifest, plan.format(), layers.get()));
    }

    /**
     * Copies a Docker schema 1 image (read through {@code recording}) converted to schema2 or OCI,
     * as each target takes it: the layers that are not empty go first (oldest first) and leave
     * their diff IDs behind as they stream; then the config rebuilt from the v1 history with those
     * diff IDs; then the new manifest. Targets that must keep the manifest as read are refused.
     */
    Map<Target, Descriptor> copySchema1(Schema1Manifest schema1, DiffIdRecordingSource recording, List<Target> targets,
                                        List<byte[]> signatures) throws IOException {
        for (Target target : targets) {
            if (target.alive() && target.preservation().required()) {
                target.fail(target.preservation().refuse(target.name(), "the schema 1 manifest "
                        + schema1.digest() + " would be converted to a newer format"));
            }
        }
        List<Descriptor> layers = schema1.layers().stream()
                .map(d -> new Descriptor(MediaTypes.DOCKER_LAYER_GZIP, d, Descriptor.UNKNOWN_SIZE)).toList();
        // what the layers are planned against: sizes and config are known only once the layers are read
        ImageManifest provisional = ImageManifest.of(ManifestFormat.V2S2,
                new Descriptor(MediaTypes.DOCKER_CONFIG, Digest.sha256(new byte[0]), 0), layers, Map.of());
        Map<Target, Descriptor> written = new LinkedHashMap<>();
        for (Map.Entry<Plan, List<Target>> group : group(provisional, targets).entrySet()) {
            Plan plan = group.getKey();
            Optional<List<Descriptor>> copied = copyLayers(provisional, ConfigDiffIds.none(), plan, group.getValue());
            if (copied.isEmpty()) {
                continue;
            }
            List<Digest> diffIds = new ArrayList<>();
            List<Descriptor> sized = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                Descriptor layer = copied.get().get(i);
                Descriptor read = layers.get(i);
                DiffIdRecordingSource.Found found = recording.found(read.digest()).orElse(null);
                if (found == null) {
                    found = recording.read(read); // every destination had it: nothing was read on the way
                }
                diffIds.add(found.diffId());
                sized.add(layer.size() >= 0 ? layer : layer.withDigestAndSize(layer.digest(), found.size()));
            }
            byte[] config = schema1.config(diffIds);
            Descriptor configDescriptor = new Descriptor(plan.format() == ManifestFormat.OCI ? MediaTypes.OCI_CONFIG
                    : MediaTypes.DOCKER_CONFIG, Digest.sha256(config), config.length);
            blobs.copyConfig(configDescriptor, config, group.getValue());
            ImageManifest out = ImageManifest.of(plan.format(), configDescriptor, sized, Map.of());
            for (Target target : group.getValue()) {
                if (target.alive()) {
                    ManifestWrite.write(target, out, false, true, signatures, listener, options)
                            .ifPresent(d -> written.put(target, d));
                }
            }
        }
        return written;
    }

    /** Copies the layers (in parallel where the source and targets allow); empty when every target failed. */
    private Optional<List<Descriptor>> copyLayers(ImageManifest manifest, ConfigDiffIds diffIds, Plan plan, List<Target> targets)
            throws IOException {
        Optional<List<Integer>> sourceOrder = source.sequentialLayerOrder(manifest);
        boolean oneAtATime = sourceOrder.isPresent() || targets.stream().anyMatch(t -> !t.destination().acceptsParallelBlobs());
        List<Integer> order = sourceOrder.orElseGet(() -> java.util.stream.IntStream.range(0, manifest.layers().size()).boxed().toList());
        List<Future<Optional<Descriptor>>> futures = new ArrayList<>(java.util.Collections.nCopies(order.size(), null));
        for (int i : order) {
            Descriptor layer = manifest.layers().get(i);
            LayerCompressionPlan.Step step = plan.steps().get(i);
            Descriptor planned = options.crypto().planned(layer);
            boolean encrypt = LayerEncryptionPlan.encrypts(manifest, i, step, options.crypto());
            String plainType = step.target() == null || plan.format() == manifest.format() && !step.changesBytes()
                    ? planned.mediaType()
                    : LayerMediaTypes.of(plan.format(), step.target(), MediaTypes.isNonDistributable(planned.mediaType()));
            String mediaType = encrypt ? EncryptedMediaTypes.encrypted(plainType) : plainType;
            boolean decrypt = options.crypto().decryptsLayer(layer);
            // a layer decompressed on the way is checked against its diff ID (an encrypted one only once decrypted)
            Digest diffId = step.changesBytes() && (decrypt || !EncryptedMediaTypes.isEncrypted(layer.mediaType()))
                    ? diffIds.forLayer(i) : null;
            java.util.concurrent.Callable<Optional<Descriptor>> copy = () -> blobs.copyLayer(layer, step, diffId,
                    options.crypto().stepFor(layer, decrypt, encrypt, "layer " + layer.digest() + " of " + source.reference().text()),
                    mediaType, targets);
            futures.set(i, oneAtATime ? completed(copy) : layerPool.submit(copy));
        }
        List<Descriptor> layers = new ArrayList<>();
        for (Future<Optional<Descriptor>> future : futures) {
            Optional<Descriptor> layer = await(future, futures);
            if (layer.isEmpty()) {
                return Optional.empty();
            }
            layers.add(layer.get());
        }
        return Optional.of(layers);
    }

    /** Runs a layer copy here and now, for destinations that take one blob at a time. */
    private static Future<Optional<Descriptor>> completed(java.util.concurrent.Callable<Optional<Descriptor>> copy) {
        java.util.concurrent.FutureTask<Optional<Descriptor>> task = new java.util.concurrent.FutureTask<>(copy);
        task.run();
        return task;
    }

    private static Optional<Descriptor> await(Future<Optional<Descriptor>> future, List<Future<Optional<Descriptor>>> all)
            throws IOException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            all.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        } catch (InterruptedException e) {
            all.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("copy cancelled");
        }
    }

    /** The manifest to write: the source's own bytes when nothing changed, so its digest stays. */
    private static ImageManifest rewrite(ImageManifest manifest, ManifestFormat format, List<Descriptor> layers) {
        if (format == manifest.format() && layers.equals(manifest.layers())) {
            return manifest;
        }
        if (format == manifest.format()) {
            return manifest.withLayersAndConfig(layers, manifest.config());
        }
        String configType = format == ManifestFormat.OCI ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG;
        Descriptor config = manifest.config().withMediaType(configType);
        if (format == ManifestFormat.V2S2) {
            config = config.withAnnotations(Map.of());
            layers = layers.stream().map(l -> l.withAnnotations(Map.of())).toList();
        }
        return ImageManifest.of(format, config, layers, format == ManifestFormat.OCI ? manifest.annotations() : Map.of());
    }
}
