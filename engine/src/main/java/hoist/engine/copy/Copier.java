package hoist.engine.copy;

import hoist.engine.HoistException;
import hoist.engine.compress.Compression;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.InvalidManifestException;
import hoist.engine.image.Manifest;
import hoist.engine.image.ManifestList;
import hoist.engine.image.Schema1Manifest;
import hoist.engine.io.AtomicFiles;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.ManifestTypeRejectedException;
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.TransportContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Copies an image from one source to one or many destinations. Each blob is read (and
 * transformed) once whatever the number of destinations; every destination that succeeds ends with
 * the same manifest; one failing destination does not stop the others, and nothing becomes visible
 * at a destination unless its whole copy succeeded.
 */
public final class Copier {

    private static final long WORKER_STOP_SECONDS = 30;

    private final TransportContext sourceContext;
    private final TransportContext destinationContext;
    private final ProgressListener listener;
    private final hoist.engine.sign.Signing signing;

    public Copier(TransportContext context, ProgressListener listener) {
        this(context, context, listener);
    }

    /**
     * A copier reading the source in {@code sourceContext} (its registry options, the platform to
     * choose from a list) and writing destinations in {@code destinationContext}, as skopeo's
     * {@code --src-*} and {@code --dest-*} options separate them.
     */
    public Copier(TransportContext sourceContext, TransportContext destinationContext, ProgressListener listener) {
        this(sourceContext, destinationContext, listener, hoist.engine.sign.Signing.none());
    }

    private Copier(TransportContext sourceContext, TransportContext destinationContext, ProgressListener listener,
                   hoist.engine.sign.Signing signing) {
        this.sourceContext = sourceContext;
        this.destinationContext = destinationContext;
        this.listener = listener;
        this.signing = java.util.Objects.requireNonNull(signing, "signing");
    }

    /**
     * Reads and writes signatures as {@code value} says (lookaside stores, a new signature at each
     * destination) instead of only carrying those the source stores itself.
     */
    public Copier withSigning(hoist.engine.sign.Signing value) {
        return new Copier(sourceContext, destinationContext, listener, value.withContexts(sourceContext, destinationContext));
    }

    /**
     * Runs the copy. Source failures (missing image, corrupt blob) throw a {@link HoistException};
     * destination failures are reported in the result, one per destination.
     */
    public CopyResult copy(ImageReference sourceRef, List<ImageReference> destinationRefs, CopyOptions options) {
        return copy(sourceRef, destinationRefs, options, List.of());
    }

    /**
     * As {@link #copy(ImageReference, List, CopyOptions)}, and a list copied with {@code --all}
     * gains, per platform, an instance in each compression of {@code addCompression} that the
     * platform has none in (podman's {@code manifest push --add-compression}); the variants'
     * level is {@code options.compressionLevel()} where {@code options.compression()} is that
     * compression, its default otherwise.
     *
     * @param addCompression compressions to add, in order; empty for none
     * @throws HoistException (usage) when variants are asked for and the source is not a list copied with --all
     */
    public CopyResult copy(ImageReference sourceRef, List<ImageReference> destinationRefs, CopyOptions options,
                           List<Compression> addCompression) {
        if (destinationRefs.isEmpty()) {
            throw HoistException.usage("no destination given");
        }
        listener.on(new CopyEvent.CopyStarted(sourceRef.text(), destinationRefs.stream().map(ImageReference::text).toList()));
        ExecutorService layerPool = Executors.newFixedThreadPool(options.parallelism(), threads("hoist-layer"));
        ExecutorService fanoutPool = Executors.newCachedThreadPool(threads("hoist-fanout"));
        List<Target> targets = new ArrayList<>();
        List<DestinationResult> unopened = new ArrayList<>();
        try (ImageSource source = open(sourceRef)) {
            for (ImageReference ref : destinationRefs) {
                try {
                    ImageDestination destination = ref.openDestination(destinationContext);
                    try {
                        signing.checkDestination(destination);
                    } catch (RuntimeException e) {
                        destination.close();
                        throw e;
                    }
                    targets.add(new Target(destination, listener, options, signing));
                } catch (IOException | RuntimeException e) {
                    String failure = CopyFailures.named(ref.text(), CopyFailures.describe(e));
                    unopened.add(new DestinationResult(ref.text(), null, failure, List.of()));
                    listener.on(new CopyEvent.DestinationFailed(ref.text(), failure));
                }
            }
            BlobCopy blobs = new BlobCopy(source, fanoutPool, listener, options, destinationContext.knowledge());
            ImageCopy images = new ImageCopy(source, blobs, layerPool, listener, options);
            DiffIdRecordingSource recording = new DiffIdRecordingSource(source);
            ImageCopy schema1 = new ImageCopy(recording, new BlobCopy(recording, fanoutPool, listener, options,
                    destinationContext.knowledge()), layerPool, listener, options);
            Map<Compression, ImageCopy> variants = new LinkedHashMap<>();
            for (Compression variant : addCompression) {
                CopyOptions forced = options.withCompression(variant,
                        variant == options.compression() ? options.compressionLevel() : null, false);
                variants.put(variant, new ImageCopy(source, new BlobCopy(source, fanoutPool, listener, forced, destinationContext.knowledge()), layerPool,
                        listener, forced));
            }
            RawManifest top = source.manifest(null);
            Map<Target, Descriptor> written = Schema1Manifest.isSchema1(top.bytes(), top.mediaType())
                    ? copySchema1(source, Schema1Manifest.parse(top.bytes(), top.mediaType()), schema1, recording, targets,
                    options, addCompression)
                    : copyTopLevel(source, top, images, variants, targets, options);
            if (options.referrers() && !Schema1Manifest.isSchema1(top.bytes(), top.mediaType())) {
                new ReferrerCopy(source, listener).copy(top.parse(), targets, written, options);
            }
            commit(targets, written, options);
            CopyResult result = result(sourceRef, destinationRefs, targets, written, unopened);
            writeDigestFile(result, options);
            return result;
        } catch (InvalidManifestException e) {
            // the parsers know what is wrong, not whose manifest it is
            throw new HoistException(CopyFailures.named(sourceRef.text(), e.getMessage()), e);
        } catch (IOException | RuntimeException e) {
            // a failure that names the source already needs no "copying SOURCE" before it
            throw CopyFailures.asHoist(e, CopyFailures.describe(e).contains(sourceRef.text()) ? sourceRef.text()
                    : "copying " + sourceRef.text());
        } finally {
            // a cancelled copy (its thread interrupted) must still wait for its workers and clean up;
            // the interrupt is given back to the caller afterwards
            boolean cancelled = Thread.interrupted();
            stopWorkers(layerPool, fanoutPool);
            closeAll(targets);
            rememberBlobLocations();
            if (cancelled) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ImageSource open(ImageReference ref) throws IOException {
        try {
            return ref.openSource(sourceContext);
        } catch (IOException | RuntimeException e) {
            throw CopyFailures.asHoist(e, ref.text());
        }
    }

    /** A Docker schema 1 image, converted on the way ({@link ImageCopy#copySchema1}). */
    private Map<Target, Descriptor> copySchema1(ImageSource source, Schema1Manifest manifest, ImageCopy images,
                                                DiffIdRecordingSource recording, List<Target> targets, CopyOptions options,
                                                List<Compression> addCompression) throws IOException {
        if (!addCompression.isEmpty()) {
            throw HoistException.usage("--add-compression needs a manifest list copied whole (--all); "
                    + source.reference().text() + " is one image");
        }
        listener.on(new CopyEvent.GettingSignatures());
        List<byte[]> signatures = options.removeSignatures() ? List.of() : source.signatures(null);
        return images.copySchema1(manifest, recording, targets, signatures);
    }

    private Map<Target, Descriptor> copyTopLevel(ImageSource source, RawManifest raw, ImageCopy images,
                                                 Map<Compression, ImageCopy> variants, List<Target> targets,
                                                 CopyOptions options) throws IOException {
        Manifest top = raw.parse();
        if (!variants.isEmpty() && !(top instanceof ManifestList && options.all())) {
            throw HoistException.usage("--add-compression needs a manifest list copied whole (--all); "
                    + source.reference().text() + " is " + (top instanceof ManifestList ? "copied one image at a time" : "one image"));
        }
        listener.on(new CopyEvent.GettingSignatures());
        List<byte[]> topSignatures = signing.signatures(source, null, raw.digest());
        signing.checkPolicy(source, raw, topSignatures);
        if (top instanceof ManifestList list) {
            if (options.all() || options.indexOnly() || !options.platforms().isEmpty()) {
                List<Descriptor> entries = ListCopy.entriesFor(list, options);
                boolean whole = entries.size() == list.manifests().size();
                requireNamedDigest(targets, list.digest());
                if (!whole) {
                    targets.stream().filter(t -> t.alive() && t.preservation().required()).forEach(t -> t.fail(
                            t.preservation().refuse(t.name(), "a list of only some of the images of " + list.digest()
                                    + " would be written")));
                }
                Map<Digest, List<byte[]>> instanceSignatures = options.indexOnly() ? Map.of() : instanceSignatures(source, entries, options);
                List<byte[]> signatures = options.removeSignatures() || !whole ? List.of() : topSignatures;
                return new ListCopy(source, images, listener, options, variants).copy(list, entries, targets, signatures, instanceSignatures);
            }
            Descriptor chosen = list.choose(sourceContext.platform()).orElseThrow(() -> new HoistException(
                    source.reference().text() + " has no image for " + sourceContext.platform() + " (it has "
                            + String.join(", ", list.manifests().stream().map(d -> String.valueOf(d.platform())).toList())
                            + "); use --all to copy every image, or --platform to choose"));
            listener.on(new CopyEvent.ChoosingInstance(list.digest(), chosen.digest(), String.valueOf(chosen.platform())));
            ImageManifest instance = source.instanceImage(chosen.digest());
            requireNamedDigest(targets, instance.digest());
            List<byte[]> instanceSignatures = signing.signatures(source, chosen.digest(), chosen.digest());
            signing.checkPolicy(source, new RawManifest(instance.raw(), instance.mediaType()), instanceSignatures);
            List<byte[]> signatures = options.removeSignatures() ? List.of() : instanceSignatures;
            return images.copy(instance, chosen.digest(), targets, false, signatures);
        }
        requireNamedDigest(targets, top.digest());
        List<byte[]> signatures = options.removeSignatures() ? List.of() : topSignatures;
        return images.copy((ImageManifest) top, null, targets, false, signatures);
    }

    /**
     * The signatures of each of {@code entries}, read and checked against the policy before any
     * instance is copied, so that an instance the policy refuses fails the copy before anything is
     * written; empty lists with {@code --remove-signatures}.
     */
    private Map<Digest, List<byte[]>> instanceSignatures(ImageSource source, List<Descriptor> entries, CopyOptions options)
            throws IOException {
        Map<Digest, List<byte[]>> found = new LinkedHashMap<>();
        for (Descriptor entry : entries) {
            if (options.removeSignatures() && signing.policy() == null) {
                found.put(entry.digest(), List.of());
                continue; // nothing to check, nothing to carry
            }
            List<byte[]> signatures = signing.signatures(source, entry.digest(), entry.digest());
            if (signing.policy() != null) {
                signing.checkPolicy(source, entry.digest(), source.manifest(entry.digest()), signatures);
            }
            found.put(entry.digest(), options.removeSignatures() ? List.of() : signatures);
        }
        return found;
    }

    /** Fails, before anything is sent, each target named by a digest other than {@code copied}'s. */
    private static void requireNamedDigest(List<Target> targets, hoist.engine.image.Digest copied) {
        for (Target target : targets) {
            if (target.alive()) {
                target.preservation().mismatch(target.name(), copied).ifPresent(target::fail);
            }
        }
    }

    /**
     * Commits every live target that was written. A target that refuses the top-level manifest for
     * its type gets it in the next format it can be converted to ({@link FormatFallback}).
     */
    private void commit(List<Target> targets, Map<Target, Descriptor> written, CopyOptions options) {
        for (Target target : targets) {
            if (!target.alive()) {
                continue;
            }
            if (!written.containsKey(target)) {
                target.fail(new HoistException("nothing was written"));
                continue;
            }
            try {
                try {
                    target.destination().commit();
                } catch (ManifestTypeRejectedException e) {
                    Manifest instead = FormatFallback.retry(target, options, target.top(), e, listener, m -> {
                        target.destination().putManifest(RawManifest.of(m));
                        target.destination().commit();
                    });
                    written.put(target, FormatFallback.descriptorOf(instead));
                }
            } catch (IOException | RuntimeException e) {
                target.fail(e);
            }
        }
    }

    /** One result per destination, in the order the destinations were given. */
    private static CopyResult result(ImageReference source, List<ImageReference> given, List<Target> targets,
                                     Map<Target, Descriptor> written, List<DestinationResult> unopened) {
        List<DestinationResult> results = new ArrayList<>(unopened);
        for (Target target : targets) {
            Descriptor d = written.get(target);
            results.add(new DestinationResult(target.name(), target.alive() && d != null ? d.digest() : null,
                    target.failure(), target.outcomes()));
        }
        List<String> order = given.stream().map(ImageReference::text).toList();
        results.sort(java.util.Comparator.comparingInt(r -> order.indexOf(r.destination())));
        return new CopyResult(source.text(), results);
    }

    private static void writeDigestFile(CopyResult result, CopyOptions options) throws IOException {
        if (options.digestFile() != null && result.digest() != null) {
            AtomicFiles.write(options.digestFile(), result.digest().toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Stops the layer and fan-out workers and waits for them: a cancelled layer still writing
     * after its destination was closed could leave files behind at a failed destination.
     */
    private static void stopWorkers(ExecutorService... pools) {
        for (ExecutorService pool : pools) {
            pool.shutdownNow();
        }
        try {
            // bounded: a worker stuck in uninterruptible I/O must not hang the command
            for (ExecutorService pool : pools) {
                pool.awaitTermination(WORKER_STOP_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeAll(List<Target> targets) {
        for (Target target : targets) {
            try {
                target.destination().close();
            } catch (IOException | RuntimeException e) {
                target.fail(e);
            }
        }
    }

    /** Saving what was learned of blob locations is a help for later copies, never a reason to fail this one. */
    private void rememberBlobLocations() {
        try {
            destinationContext.knowledge().save();
            if (sourceContext.knowledge() != destinationContext.knowledge()) {
                sourceContext.knowledge().save();
            }
        } catch (IOException | RuntimeException e) {
            // the next copy uploads instead of mounting
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
