package hoist.engine.inspect;

import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.ImageConfig;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.InvalidManifestException;
import hoist.engine.image.Manifest;
import hoist.engine.image.ManifestList;
import hoist.engine.image.MediaTypes;
import hoist.engine.io.DigestMismatchException;
import hoist.engine.image.VerifyingInputStream;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Every manifest and config of an image, as read from one open source and verified against the
 * digests that name them: for a list, each instance too. The raw material both the skopeo-style
 * summary and the navigable {@link InspectedImage} are made from, so an image is read once.
 *
 * @param raw       the manifest exactly as stored
 * @param manifest  {@code raw} parsed
 * @param config    the image config; null for a list
 * @param instances a list's entries in order, each read or with the reason it could not be
 */
public record ImageContent(RawManifest raw, Manifest manifest, ImageConfig config, List<Instance> instances) {

    /** Configs bigger than this are not image configs; refusing them keeps memory bounded. */
    static final int MAX_CONFIG_BYTES = 4 * 1024 * 1024;
    /** List entries read at once. */
    private static final int PARALLEL_READS = 6;

    public ImageContent {
        instances = List.copyOf(instances);
    }

    /**
     * One entry of a list. {@code content} is null when the instance is not at the location (a
     * list copied without all its images) or could not be read; {@code unavailable} says why.
     */
    public record Instance(Descriptor descriptor, ImageContent content, String unavailable) {
    }

    /** Reads the top-level manifest and everything below it. */
    public static ImageContent read(ImageSource source) throws IOException {
        RawManifest raw = source.manifest(null);
        return of(source, raw, raw.parse());
    }

    private static ImageContent of(ImageSource source, RawManifest raw, Manifest manifest) throws IOException {
        if (manifest instanceof ManifestList list) {
            return new ImageContent(raw, list, null, readInstances(source, list));
        }
        ImageManifest image = (ImageManifest) manifest;
        return new ImageContent(raw, image, readConfig(source, image.config()), List.of());
    }

    /**
     * Reads a list's entries several at a time: each is a manifest and a config, two round trips
     * to a registry, and lists of many platforms are common.
     */
    private static List<Instance> readInstances(ImageSource source, ManifestList list) throws IOException {
        int threads = Math.max(1, Math.min(PARALLEL_READS, list.manifests().size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "hoist-inspect");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Instance>> reads = new ArrayList<>();
            for (Descriptor entry : list.manifests()) {
                reads.add(pool.submit(() -> readInstance(source, entry)));
            }
            List<Instance> instances = new ArrayList<>();
            for (Future<Instance> read : reads) {
                instances.add(await(read));
            }
            return instances;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Instance await(Future<Instance> read) throws IOException {
        try {
            return read.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("inspect cancelled");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        }
    }

    /**
     * A list may name images its location does not hold (a list copied without --all); such an
     * instance is reported, not fatal, so the rest of the list can still be inspected.
     */
    private static Instance readInstance(ImageSource source, Descriptor entry) throws IOException {
        try {
            RawManifest raw = source.manifest(entry.digest());
            if (!raw.digest().equals(entry.digest())) {
                throw new DigestMismatchException(source.reference().text() + ": manifest " + entry.digest()
                        + " does not match its content (actual digest " + raw.digest() + ")");
            }
            return new Instance(entry, of(source, raw, raw.parse()), null);
        } catch (HoistException e) {
            return new Instance(entry, null, e.getMessage());
        }
    }

    private static ImageConfig readConfig(ImageSource source, Descriptor config) throws IOException {
        String what = source.reference().text() + ": config " + config.digest();
        if (config.size() > MAX_CONFIG_BYTES) {
            throw new HoistException(what + " is " + config.size() + " bytes, more than an image config can be");
        }
        byte[] bytes;
        try (InputStream in = new VerifyingInputStream(source.blob(config), config.digest(), config.size(), what)) {
            bytes = in.readAllBytes();
        }
        return parseConfig(bytes, config.mediaType());
    }

    /**
     * Image configs must parse; an artifact's config (any other media type) may be anything, and
     * is then shown as an empty object.
     */
    private static ImageConfig parseConfig(byte[] bytes, String mediaType) {
        try {
            return ImageConfig.parse(bytes);
        } catch (InvalidManifestException e) {
            if (mediaType.equals(MediaTypes.OCI_CONFIG) || mediaType.equals(MediaTypes.DOCKER_CONFIG)) {
                throw e;
            }
            return new ImageConfig(bytes, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        }
    }
}
