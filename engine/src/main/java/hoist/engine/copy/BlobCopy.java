package hoist.engine.copy;

import hoist.engine.compress.Compression;
import hoist.engine.compress.ExpansionLimit;
import hoist.engine.compress.ZstdChunked;
import hoist.engine.compress.ZstdChunkedInputStream;
import hoist.engine.crypt.LayerCryptStep;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.MediaTypes;
import hoist.engine.image.VerifyingInputStream;
import hoist.engine.io.CountingInputStream;
import hoist.engine.io.DigestMismatchException;
import hoist.engine.transport.BlobInfo;
import hoist.engine.transport.BlobKnowledge;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.UploadLostException;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * One blob's journey: reuse where a destination has it, otherwise one read of the source through
 * the chain verify -> progress -> decompress -> compress, fanned out to every destination that
 * needs it.
 */
final class BlobCopy {

    /** How many times a blob is sent again, from its first byte, to a destination that lost its upload. */
    static final int UPLOAD_RESTARTS = 3;

    private final ImageSource source;
    private final ExecutorService fanoutPool;
    private final ProgressListener listener;
    private final CopyOptions options;
    private final BlobKnowledge knowledge;

    BlobCopy(ImageSource source, ExecutorService fanoutPool, ProgressListener listener, CopyOptions options,
             BlobKnowledge knowledge) {
        this.source = source;
        this.fanoutPool = fanoutPool;
        this.listener = listener;
        this.options = options;
        this.knowledge = knowledge;
    }

    /**
     * Copies a layer to every live target, which all share {@code step}. Returns the layer's
     * descriptor at the targets (media type {@code targetMediaType}), or empty when every target failed.
     */
    Optional<Descriptor> copyLayer(Descriptor layer, LayerCompressionPlan.Step step, String targetMediaType,
                                   List<Target> targets) throws BlobFanout.SourceFailedException {
        return copyLayer(layer, step, null, null, targetMediaType, targets);
    }

    /**
     * As {@link #copyLayer(Descriptor, LayerCompressionPlan.Step, String, List)}, the layer also
     * decrypted and/or encrypted as {@code crypt} says (null: neither); one encryption serves every target.
     * When {@code step} decompresses the layer, its uncompressed bytes must hash to {@code diffId}
     * (null: not checked), and may expand only as far as {@link ExpansionLimit} allows.
     */
    Optional<Descriptor> copyLayer(Descriptor layer, LayerCompressionPlan.Step step, Digest diffId, LayerCryptStep crypt,
                                   String targetMediaType, List<Target> targets) throws BlobFanout.SourceFailedException {
        Optional<Descriptor> compressedBefore = crypt != null ? Optional.empty()
                : compressedBefore(layer, step, targetMediaType, targets);
        if (compressedBefore.isPresent()) {
            return compressedBefore;
        }
        boolean changesBytes = step.changesBytes() || crypt != null;
        List<Target> needing = new ArrayList<>();
        for (Target target : live(targets)) {
            if (isForeign(layer) && target.destination().acceptsForeignLayerUrls()) {
                target.record(new BlobOutcome.Foreign(layer.digest()));
                listener.on(new CopyEvent.ForeignLayerSkipped(layer, target.name()));
            } else if (changesBytes || !reused(target, layer, true)) {
                needing.add(target);
            }
        }
        Descriptor unchanged = layer.withMediaType(targetMediaType);
        if (needing.isEmpty()) {
            return live(targets).isEmpty() ? Optional.empty() : Optional.of(unchanged);
        }
        BlobInfo info = changesBytes
                ? BlobInfo.unknown(targetMediaType, BlobInfo.Kind.LAYER)
                : BlobInfo.known(unchanged, BlobInfo.Kind.LAYER);
        listener.on(new CopyEvent.BlobStarted(layer, false));
        List<Target> senders = onePerSharedStore(needing);
        List<Target> mounting = needing.stream().filter(t -> !senders.contains(t)).toList();
        Optional<Descriptor> stored = send(layer, step, diffId, crypt, info, senders);
        List<Target> stillNeeding = stored.isPresent() ? notMounted(stored.get(), mounting) : mounting;
        if (!stillNeeding.isEmpty()) {
            // the mount was refused (or the sender failed): the bytes go to these after all
            Optional<Descriptor> sentAgain = send(layer, step, diffId, crypt, info, stillNeeding);
            stored = stored.or(() -> sentAgain);
        }
        if (stored.isPresent() && checksStoredDigest(step, diffId) && !stored.get().digest().equals(diffId)) {
            throw new BlobFanout.SourceFailedException(diffIdMismatch(layer, stored.get().digest(), diffId));
        }
        stored.ifPresent(d -> listener.on(new CopyEvent.BlobDone(layer.digest(), d.size())));
        if (crypt != null) {
            return stored.map(d -> crypt.describe(unchanged.withDigestAndSize(d.digest(), d.size())));
        }
        if (stored.isPresent() && compressesPlainLayer(step)) {
            knowledge.compressed(layer.digest(), step.target().name().toLowerCase(java.util.Locale.ROOT),
                    options.compressionLevel(), new BlobKnowledge.CompressedBlob(stored.get().digest(), stored.get().size()));
        }
        return stored.map(d -> annotated(unchanged.withDigestAndSize(d.digest(), d.size()), step, d));
    }

    /**
     * A re-made layer loses the zstd:chunked annotations of the bytes it was made from and gets
     * those of the bytes written ({@code stored}'s), if they are zstd:chunked.
     */
    private static Descriptor annotated(Descriptor written, LayerCompressionPlan.Step step, Descriptor stored) {
        if (!step.changesBytes()) {
            return written;
        }
        Map<String, String> annotations = new LinkedHashMap<>(ZstdChunked.withoutAnnotations(written.annotations()));
        stored.annotations().forEach((k, v) -> {
            if (ZstdChunked.isAnnotation(k)) {
                annotations.put(k, v);
            }
        });
        return written.withAnnotations(annotations);
    }

    /** A plain layer compressed into a blob that is the same whenever it is made again (zstd:chunked's annotations are not kept). */
    private static boolean compressesPlainLayer(LayerCompressionPlan.Step step) {
        return step.source() == Compression.NONE && step.target() != null && step.target() != Compression.NONE
                && step.target() != Compression.ZSTD_CHUNKED;
    }

    /**
     * The compressed blob an earlier copy made of this uncompressed layer with the same
     * compression and level, when every target has it already or can mount it: then nothing is
     * read or compressed. Empty otherwise, and the layer is compressed as usual.
     */
    private Optional<Descriptor> compressedBefore(Descriptor layer, LayerCompressionPlan.Step step, String targetMediaType,
                                                  List<Target> targets) {
        if (!compressesPlainLayer(step) || step.recompress() || isForeign(layer)) {
            return Optional.empty();
        }
        Optional<BlobKnowledge.CompressedBlob> known = knowledge.compressedFor(layer.digest(),
                step.target().name().toLowerCase(java.util.Locale.ROOT), options.compressionLevel());
        List<Target> live = live(targets);
        if (known.isEmpty() || live.isEmpty()) {
            return Optional.empty();
        }
        Descriptor compressed = layer.withMediaType(targetMediaType).withDigestAndSize(known.get().digest(), known.get().size());
        List<Optional<String>> mountedFrom = new ArrayList<>();
        for (Target target : live) {
            try {
                if (target.destination().tryReuse(compressed).isPresent()) {
                    mountedFrom.add(Optional.empty());
                    continue;
                }
                Optional<String> from = target.destination().tryMount(compressed);
                if (from.isEmpty()) {
                    return Optional.empty();
                }
                mountedFrom.add(from);
            } catch (IOException | RuntimeException e) {
                return Optional.empty(); // the usual way will meet (and report) the same failure
            }
        }
        for (int i = 0; i < live.size(); i++) {
            Target target = live.get(i);
            if (mountedFrom.get(i).isPresent()) {
                target.record(new BlobOutcome.Mounted(compressed.digest(), mountedFrom.get(i).get()));
                listener.on(new CopyEvent.BlobMounted(compressed, target.name(), mountedFrom.get(i).get()));
            } else {
                target.record(new BlobOutcome.Reused(compressed.digest()));
                listener.on(new CopyEvent.BlobSkipped(compressed, target.name()));
            }
        }
        return Optional.of(compressed);
    }

    /**
     * One read of the source through the chain, fanned out to {@code targets}; targets that lost
     * their upload part-way ({@link UploadLostException}) are sent the blob again from a new read,
     * at most {@link #UPLOAD_RESTARTS} times.
     */
    private Optional<Descriptor> send(Descriptor layer, LayerCompressionPlan.Step step, Digest diffId, LayerCryptStep crypt,
                                      BlobInfo info, List<Target> targets) throws BlobFanout.SourceFailedException {
        Optional<Descriptor> stored = Optional.empty();
        List<Target> pending = targets;
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            List<Target> lost = attempt < UPLOAD_RESTARTS ? new ArrayList<>() : null;
            try (InputStream raw = openVerified(layer)) {
                InputStream plain = crypt == null ? raw : crypt.decrypting(raw);
                InputStream transformed = step.changesBytes() ? transform(plain, step, layer, diffId) : plain;
                InputStream chain = crypt == null ? transformed
                        : crypt.encrypting(transformed, crypt.verifiedPlainDigest(layer, !step.changesBytes()));
                Optional<Descriptor> sent;
                try {
                    sent = fanOut(chain, info, pending, layer.digest(), lost);
                } finally {
                    if (transformed instanceof ZstdChunkedInputStream) {
                        transformed.close(); // stops its compressing thread when the copy failed part-way
                    }
                }
                if (sent.isPresent() && transformed instanceof ZstdChunkedInputStream chunked) {
                    Map<String, String> annotations = chunked.annotations();
                    sent = sent.map(d -> d.withAnnotations(annotations));
                }
                Optional<Descriptor> result = sent;
                stored = stored.or(() -> result);
            } catch (IOException e) {
                throw new BlobFanout.SourceFailedException(e);
            }
            pending = lost == null ? List.of() : lost;
        }
        return stored;
    }

    /**
     * The targets the bytes must be sent to: of several that share a blob store (repositories of
     * one registry), only the first; the others mount the blob from it once it is there.
     */
    private static List<Target> onePerSharedStore(List<Target> targets) {
        List<Target> senders = new ArrayList<>();
        Set<String> stores = new HashSet<>();
        for (Target target : targets) {
            Optional<String> store = target.destination().sharedBlobStore();
            if (store.isEmpty() || stores.add(store.get())) {
                senders.add(target);
            }
        }
        return senders;
    }

    /** Mounts the stored blob into each target; returns those that could not take it so. */
    private List<Target> notMounted(Descriptor stored, List<Target> targets) {
        return targets.stream().filter(t -> !reused(t, stored, true)).toList();
    }

    /** Copies the (small, already read and verified) config to every live target. */
    void copyConfig(Descriptor config, byte[] bytes, List<Target> targets) throws BlobFanout.SourceFailedException {
        listener.on(new CopyEvent.BlobStarted(config, true));
        for (Target target : live(targets)) {
            if (reused(target, config, false)) {
                continue;
            }
            List<BlobFanout.Outcome<Descriptor>> outcome = BlobFanout.run(new ByteArrayInputStream(bytes),
                    List.of(in -> target.destination().putBlob(in, BlobInfo.known(config, BlobInfo.Kind.CONFIG))), fanoutPool);
            settle(outcome, List.of(target), config.digest(), null);
        }
        listener.on(new CopyEvent.BlobDone(config.digest(), config.size()));
    }

    /** Whether the target has the blob already; {@code announce} tells the user (podman does for layers only). */
    private boolean reused(Target target, Descriptor blob, boolean announce) {
        try {
            Optional<Descriptor> existing = target.destination().tryReuse(blob);
            if (existing.isPresent()) {
                target.record(new BlobOutcome.Reused(blob.digest()));
                if (announce) {
                    listener.on(new CopyEvent.BlobSkipped(blob, target.name()));
                }
                return true;
            }
            Optional<String> mountedFrom = target.destination().tryMount(blob);
            if (mountedFrom.isPresent()) {
                target.record(new BlobOutcome.Mounted(blob.digest(), mountedFrom.get()));
                if (announce) {
                    listener.on(new CopyEvent.BlobMounted(blob, target.name(), mountedFrom.get()));
                }
                return true;
            }
            return false;
        } catch (IOException | RuntimeException e) {
            target.fail("blob " + blob.digest() + " of " + source.reference().text(), e);
            return true; // a failed target needs nothing more
        }
    }

    private InputStream openVerified(Descriptor blob) throws IOException {
        InputStream in = source.blob(blob);
        InputStream verified = new VerifyingInputStream(in, blob.digest(), blob.size(), source.reference().text() + ": blob");
        return new ProgressInputStream(new ExplainedMismatch(verified, blob), blob.digest(), blob.size(), listener);
    }

    /** Lets the source say why a blob did not match its digest (which stored file changed). */
    private final class ExplainedMismatch extends FilterInputStream {
        private final Descriptor blob;

        ExplainedMismatch(InputStream in, Descriptor blob) {
            super(in);
            this.blob = blob;
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (DigestMismatchException e) {
                throw source.explainMismatch(blob, e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (DigestMismatchException e) {
                throw source.explainMismatch(blob, e);
            }
        }
    }

    /**
     * Decompresses what the bytes say they are (not what the media type claims), checking the
     * expansion and (when {@code diffId} is not null) the uncompressed digest, then compresses as asked.
     */
    private InputStream transform(InputStream raw, LayerCompressionPlan.Step step, Descriptor layer, Digest diffId)
            throws IOException {
        String what = "layer " + layer.digest() + " of " + source.reference().text();
        // the stored bytes a decompressor reads, for ExpansionLimit when the stored size is unknown
        CountingInputStream stored = new CountingInputStream(raw);
        Compression.Detected detected = Compression.detect(stored);
        InputStream expanded = detected.compression() == Compression.NONE ? detected.stream()
                : new ExpansionLimit(detected.compression().decompress(detected.stream()), layer.size(), stored::count, what);
        InputStream plain = new DrainingInputStream(expanded, detected.stream());
        // an uncompressed layer's bytes are verified against its own digest already: when that is the diff ID, done
        boolean verifiedAsRead = detected.compression() == Compression.NONE && layer.digest().equals(diffId);
        if (diffId != null && !verifiedAsRead && !checksStoredDigest(step, diffId)) {
            plain = new DiffIdCheck(plain, diffId, what);
        }
        if (step.target() == Compression.NONE) {
            return plain;
        }
        return step.target().compressing(plain, options.compressionLevel());
    }

    private Optional<Descriptor> fanOut(InputStream chain, BlobInfo info, List<Target> targets, Digest sourceDigest,
                                        List<Target> lost) throws BlobFanout.SourceFailedException {
        List<BlobFanout.Sink<Descriptor>> sinks = new ArrayList<>();
        for (Target target : targets) {
            sinks.add(in -> target.destination().putBlob(in, info));
        }
        return settle(BlobFanout.run(chain, sinks, fanoutPool), targets, sourceDigest, lost);
    }

    /**
     * Records each target's outcome; the stored descriptor is the same at every target that
     * succeeded. A target that lost its upload goes to {@code lost} (when not null) to be sent again.
     */
    private Optional<Descriptor> settle(List<BlobFanout.Outcome<Descriptor>> outcomes, List<Target> targets, Digest blob,
                                        List<Target> lost) {
        String what = "blob " + blob + " of " + source.reference().text();
        Descriptor agreed = null;
        for (int i = 0; i < targets.size(); i++) {
            BlobFanout.Outcome<Descriptor> outcome = outcomes.get(i);
            Target target = targets.get(i);
            if (!outcome.succeeded() && lost != null && CopyFailures.unwrap(outcome.failure()) instanceof UploadLostException) {
                lost.add(target);
                continue;
            }
            if (!outcome.succeeded()) {
                target.fail(what, outcome.failure());
                continue;
            }
            Descriptor stored = outcome.result();
            if (agreed != null && !agreed.digest().equals(stored.digest())) {
                target.fail(new IllegalStateException("stored blob " + stored.digest() + " differs from " + agreed.digest()));
                continue;
            }
            agreed = stored;
            target.record(new BlobOutcome.Uploaded(stored.digest(), stored.size()));
        }
        return Optional.ofNullable(agreed);
    }

    /**
     * Whether a layer's diff ID is checked against the digest its destinations computed of what
     * they stored: so when the layer is stored uncompressed (the digest is then its diff ID, and
     * hashing it twice would cost the copy for nothing); otherwise {@link DiffIdCheck} hashes it on the way.
     */
    private static boolean checksStoredDigest(LayerCompressionPlan.Step step, Digest diffId) {
        return diffId != null && step.changesBytes() && step.target() == Compression.NONE && diffId.algorithm().equals("sha256");
    }

    /** Worded as {@link DiffIdCheck} words it. */
    private hoist.engine.io.DigestMismatchException diffIdMismatch(Descriptor layer, Digest actual, Digest expected) {
        return new hoist.engine.io.DigestMismatchException("layer " + layer.digest() + " of " + source.reference().text()
                + ": its uncompressed content is " + actual + ", but the config's diff ID for it is " + expected);
    }

    /** A non-distributable layer that names where to fetch it: its bytes stay out of registries. */
    static boolean isForeign(Descriptor layer) {
        return !layer.urls().isEmpty() && MediaTypes.isNonDistributable(layer.mediaType());
    }

    private static List<Target> live(List<Target> targets) {
        return targets.stream().filter(Target::alive).toList();
    }
}
