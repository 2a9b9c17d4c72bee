package hoist.engine.transport.dockerarchive;

import hoist.engine.HoistException;
import hoist.engine.archive.ArchivePaths;
import hoist.engine.archive.InvalidArchiveException;
import hoist.engine.compress.Compression;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageConfig;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.ManifestFormat;
import hoist.engine.image.MediaTypes;
import hoist.engine.image.DigestingInputStream;
import hoist.engine.transport.DockerReference;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * One image of a docker archive that can only be read as a stream from its start, but can be
 * opened again (the Docker daemon's {@code images/get}): never staged on disk, never held whole.
 *
 * <p>{@code docker save} puts the metadata ({@code manifest.json}, {@code index.json}) at the end
 * of its tar, after every layer: the daemon writes the archive into a directory and tars that in
 * name order, so layer files ({@code <v1 id>/layer.tar} up to Docker 24, {@code blobs/sha256/<digest>}
 * since 25) come in the order of their hex names, not the image's. A copier needs the manifest
 * first, so the archive is read in two passes: the first keeps the small files (metadata, configs,
 * small layers) and only the names and sizes of the large ones; the second, opened when the
 * first large layer is asked for, streams the layers in archive order
 * ({@link #layerReadOrder()}), one at a time. A layer asked for out of that order opens one more
 * pass; nothing is ever buffered beyond the small files.
 *
 * @see <a href="https://github.com/moby/moby/blob/master/image/spec/v1.2.md">Docker image specification v1.2 (the archive layout)</a>
 */
public final class StreamedArchive implements Closeable {

    /** Opens the archive's tar stream from its first byte; called once per pass. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    /** Files up to this size are kept from the first pass (bytes). */
    static final long KEPT_FILE_LIMIT = 1024 * 1024;
    /** At most this much is kept in all (bytes). */
    static final long KEPT_TOTAL_LIMIT = 64L * 1024 * 1024;

    private static final Pattern BLOB_PATH = Pattern.compile("blobs/sha256/([0-9a-f]{64})");

    /** A regular file of the archive: its position among the archive's files (from 0) and size in bytes. */
    private record Entry(String name, int position, long size) {
    }

    private final Opener opener;
    private final String what;
    private final Map<String, Entry> entries;
    private final Map<String, byte[]> kept;
    private final ImageManifest manifest;
    private final byte[] config;
    private final List<String> repoTags;
    private final Map<Digest, Entry> layerEntries;
    private final List<Integer> readOrder;
    private final Object lock = new Object();
    private Pass pass;
    private boolean busy;

    private StreamedArchive(Opener opener, String what, Scan scan, ImageManifest manifest, byte[] config,
                            List<String> repoTags, Map<Digest, Entry> layerEntries) {
        this.opener = opener;
        this.what = what;
        this.entries = scan.entries;
        this.kept = scan.kept;
        this.manifest = manifest;
        this.config = config;
        this.repoTags = repoTags;
        this.layerEntries = layerEntries;
        List<Descriptor> layers = manifest.layers();
        this.readOrder = IntStream.range(0, layers.size()).boxed()
                .sorted(Comparator.comparingInt(i -> layerEntries.get(layers.get(i).digest()).position())).toList();
    }

    /**
     * Reads the archive's metadata in a first pass. {@code wanted} chooses the image by tag when the
     * archive holds several (null: it must hold one). {@code what} names the archive in errors. A
     * damaged archive is an {@link InvalidArchiveException}.
     */
    public static StreamedArchive read(Opener opener, String what, DockerReference wanted) throws IOException {
        return read(opener, what, wanted, KEPT_FILE_LIMIT);
    }

    /** As {@link #read(Opener, String, DockerReference)}, keeping files up to {@code keptFileLimit} bytes. */
    static StreamedArchive read(Opener opener, String what, DockerReference wanted, long keptFileLimit) throws IOException {
        Scan scan = Scan.run(opener, what, keptFileLimit);
        byte[] manifestBytes = scan.kept.get(ArchiveManifest.FILE);
        if (manifestBytes == null) {
            throw new InvalidArchiveException(what + " is not a docker archive: no " + ArchiveManifest.FILE);
        }
        ArchiveManifest.Item item = choose(ArchiveManifest.parse(manifestBytes, what), wanted, what);
        return describe(opener, what, scan, item);
    }

    private static ArchiveManifest.Item choose(ArchiveManifest archive, DockerReference wanted, String what) {
        List<ArchiveManifest.Item> items = archive.items();
        if (items.size() == 1) {
            return items.get(0);
        }
        if (wanted != null) {
            for (ArchiveManifest.Item item : items) {
                for (String tag : item.repoTags()) {
                    try {
                        if (DockerReference.parse(tag).withDefaultTag().equals(wanted.withDefaultTag())) {
                            return item;
                        }
                    } catch (HoistException e) {
                        // a tag that is not a valid name names nothing we look for
                    }
                }
            }
        }
        throw new InvalidArchiveException(what + " holds " + items.size() + " images"
                + (wanted == null ? "" : ", none tagged " + wanted.familiar()));
    }

    private static StreamedArchive describe(Opener opener, String what, Scan scan, ArchiveManifest.Item item)
            throws IOException {
        Entry configEntry = scan.require(item.config(), what);
        byte[] configBytes = scan.kept.containsKey(configEntry.name()) ? scan.kept.get(configEntry.name())
                : scan.readAgain(opener, configEntry, what);
        ImageConfig config = ImageConfig.parse(configBytes);
        List<Digest> diffIds = config.diffIds();
        if (diffIds.size() != item.layers().size()) {
            throw new InvalidArchiveException(what + ": the config lists " + diffIds.size() + " layers, "
                    + ArchiveManifest.FILE + " " + item.layers().size());
        }
        List<Descriptor> layers = new ArrayList<>();
        Map<Digest, Entry> layerEntries = new HashMap<>();
        for (int i = 0; i < diffIds.size(); i++) {
            Entry entry = scan.require(item.layers().get(i), what);
            Compression compression = scan.compression.getOrDefault(entry.name(), Compression.NONE);
            Digest digest = layerDigest(opener, what, scan, entry, compression, diffIds.get(i));
            String mediaType = switch (compression) {
                case NONE -> MediaTypes.DOCKER_LAYER;
                case ZSTD -> MediaTypes.DOCKER_LAYER_ZSTD;
                default -> MediaTypes.DOCKER_LAYER_GZIP;
            };
            layers.add(new Descriptor(mediaType, digest, entry.size()));
            layerEntries.putIfAbsent(digest, entry);
        }
        Descriptor configDescriptor = new Descriptor(MediaTypes.DOCKER_CONFIG, config.digest(), configBytes.length);
        ImageManifest manifest = ImageManifest.of(ManifestFormat.V2S2, configDescriptor, layers, Map.of());
        return new StreamedArchive(opener, what, scan, manifest, configBytes, item.repoTags(), layerEntries);
    }

    /**
     * A layer's digest without reading it again where the archive says it: a content-addressed
     * path ({@code blobs/sha256/...}), or the diff ID of an uncompressed layer (both verified as the
     * layer streams). A compressed layer under another name is hashed.
     */
    private static Digest layerDigest(Opener opener, String what, Scan scan, Entry entry, Compression compression,
                                      Digest diffId) throws IOException {
        Matcher blob = BLOB_PATH.matcher(entry.name());
        if (blob.matches()) {
            return Digest.parse("sha256:" + blob.group(1));
        }
        if (compression == Compression.NONE) {
            return diffId;
        }
        byte[] bytes = scan.kept.get(entry.name());
        if (bytes != null) {
            return Digest.sha256(bytes);
        }
        return scan.hashAgain(opener, entry, what);
    }

    /** The image's manifest, schema 2, made from the archive: the config and layers as stored. */
    public ImageManifest manifest() {
        return manifest;
    }

    /** The config's bytes, as stored. */
    public byte[] config() {
        return config.clone();
    }

    /** The image's names in the archive ({@code RepoTags}); empty when saved by ID. */
    public List<String> repoTags() {
        return repoTags;
    }

    /** Indexes of {@link #manifest()}'s layers in the order they come in the archive. */
    public List<Integer> layerReadOrder() {
        return readOrder;
    }

    /**
     * A stream of the blob's bytes as stored. Only one layer streams at a time: a second caller
     * waits until the first closes its stream. The caller closes the stream.
     */
    public InputStream blob(Digest digest) throws IOException {
        if (digest.equals(manifest.config().digest())) {
            return new ByteArrayInputStream(config);
        }
        Entry entry = layerEntries.get(digest);
        if (entry == null) {
            throw new HoistException(what + ": no blob " + digest + " in the image");
        }
        byte[] bytes = kept.get(entry.name());
        if (bytes != null) {
            return new ByteArrayInputStream(bytes);
        }
        acquire();
        try {
            return new EntryStream(seek(entry));
        } catch (IOException | RuntimeException e) {
            release();
            throw e;
        }
    }

    private void acquire() throws InterruptedIOException {
        synchronized (lock) {
            while (busy) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("cancelled while waiting for " + what);
                }
            }
            busy = true;
        }
    }

    private void release() {
        synchronized (lock) {
            busy = false;
            lock.notifyAll();
        }
    }

    /** Moves the current pass to {@code entry}, opening a new pass when it is already behind. */
    private TarArchiveInputStream seek(Entry entry) throws IOException {
        if (pass != null && pass.position >= entry.position()) {
            pass.close();
            pass = null;
        }
        if (pass == null) {
            pass = new Pass(opener.open());
        }
        TarArchiveEntry next;
        while ((next = pass.next(what)) != null) {
            if (!next.isFile()) {
                continue;
            }
            String name = ArchivePaths.normalize(next.getName(), what);
            Entry seen = entries.get(name);
            pass.position = seen == null ? pass.position : seen.position();
            if (name.equals(entry.name())) {
                if (next.getSize() != entry.size()) {
                    throw new InvalidArchiveException(what + ": \"" + name + "\" changed between two reads ("
                            + entry.size() + " bytes, then " + next.getSize() + ")");
                }
                return pass.tar;
            }
        }
        throw new InvalidArchiveException(what + ": \"" + entry.name() + "\" is missing from a second read of the archive");
    }

    @Override
    public void close() throws IOException {
        synchronized (lock) {
            if (pass != null) {
                pass.close();
                pass = null;
            }
        }
    }

    /** One read of the archive from its start; {@code position} is that of the last file reached. */
    private static final class Pass implements Closeable {
        final InputStream raw;
        final TarArchiveInputStream tar;
        int position = -1;

        Pass(InputStream raw) {
            this.raw = raw;
            this.tar = new TarArchiveInputStream(raw);
        }

        TarArchiveEntry next(String what) throws IOException {
            try {
                return tar.getNextEntry();
            } catch (EOFException e) {
                throw new InvalidArchiveException(what + " is truncated", e);
            } catch (IllegalArgumentException e) {
                throw new InvalidArchiveException(what + " is not a valid tar archive: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            raw.close();
        }
    }

    /** The bytes of the current entry of a pass; closing it frees the pass for the next blob. */
    private final class EntryStream extends InputStream {
        private final TarArchiveInputStream tar;
        private boolean closed;

        EntryStream(TarArchiveInputStream tar) {
            this.tar = tar;
        }

        @Override
        public int read() throws IOException {
            return tar.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return tar.read(buffer, offset, length);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release();
            }
        }
    }

    /** What the first pass learns: every regular file's place and size, links, the small files' bytes. */
    private static final class Scan {
        final Map<String, Entry> entries = new LinkedHashMap<>();
        final Map<String, String> links = new HashMap<>();
        final Map<String, byte[]> kept = new HashMap<>();
        final Map<String, Compression> compression = new HashMap<>();

        static Scan run(Opener opener, String what, long keptFileLimit) throws IOException {
            Scan scan = new Scan();
            long keptTotal = 0;
            try (InputStream raw = opener.open()) {
                Pass pass = new Pass(raw);
                TarArchiveEntry next;
                boolean any = false;
                while ((next = pass.next(what)) != null) {
                    any = true;
                    String name = ArchivePaths.normalize(next.getName(), what);
                    if (next.isSymbolicLink()) {
                        scan.links.put(name, ArchivePaths.resolveLink(name, next.getLinkName(), what));
                    } else if (next.isLink()) {
                        scan.links.put(name, ArchivePaths.normalize(next.getLinkName(), what));
                    } else if (next.isFile()) {
                        long size = next.getSize();
                        Entry entry = new Entry(name, scan.entries.size(), size);
                        scan.entries.put(name, entry);
                        boolean metadata = name.equals(ArchiveManifest.FILE) || name.equals("index.json");
                        if (metadata || size <= keptFileLimit && keptTotal + size <= KEPT_TOTAL_LIMIT) {
                            byte[] bytes = pass.tar.readNBytes((int) Math.min(size, Integer.MAX_VALUE - 8));
                            if (bytes.length != size) {
                                throw new InvalidArchiveException(what + ": \"" + name + "\" is truncated");
                            }
                            scan.kept.put(name, bytes);
                            scan.compression.put(name, Compression.detect(bytes, bytes.length));
                            keptTotal += size;
                        } else {
                            byte[] head = pass.tar.readNBytes(Compression.MAGIC_LENGTH);
                            scan.compression.put(name, Compression.detect(head, head.length));
                        }
                    }
                }
                if (!any) {
                    throw new InvalidArchiveException(what + " is not a tar archive, or is empty");
                }
            }
            return scan;
        }

        /** The regular file at {@code path}, following links. */
        Entry require(String path, String what) {
            String current = ArchivePaths.normalize(path, what);
            for (int depth = 0; depth < 16 && links.containsKey(current); depth++) {
                current = links.get(current);
            }
            Entry entry = entries.get(current);
            if (entry == null) {
                throw new InvalidArchiveException(what + ": no \"" + path + "\" in the archive");
            }
            return entry;
        }

        /** A file too large to have been kept, read in a pass of its own (a config over the limit). */
        byte[] readAgain(Opener opener, Entry entry, String what) throws IOException {
            if (entry.size() > 64L * 1024 * 1024) {
                throw new InvalidArchiveException(what + ": \"" + entry.name() + "\" is " + entry.size()
                        + " bytes, too large for an image config");
            }
            try (InputStream raw = opener.open(); Pass pass = new Pass(raw)) {
                seekIn(pass, entry, what);
                return pass.tar.readAllBytes();
            }
        }

        /** The digest of a compressed layer under a name that does not say it, in a pass of its own. */
        Digest hashAgain(Opener opener, Entry entry, String what) throws IOException {
            try (InputStream raw = opener.open(); Pass pass = new Pass(raw)) {
                seekIn(pass, entry, what);
                DigestingInputStream digesting = new DigestingInputStream(pass.tar);
                digesting.transferTo(OutputStream.nullOutputStream());
                return digesting.digest();
            }
        }

        private static void seekIn(Pass pass, Entry entry, String what) throws IOException {
            TarArchiveEntry next;
            while ((next = pass.next(what)) != null) {
                if (next.isFile() && ArchivePaths.normalize(next.getName(), what).equals(entry.name())) {
                    return;
                }
            }
            throw new InvalidArchiveException(what + ": \"" + entry.name() + "\" is missing from a second read of the archive");
        }
    }
}
