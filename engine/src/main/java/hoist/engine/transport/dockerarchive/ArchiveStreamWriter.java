package hoist.engine.transport.dockerarchive;

import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.transport.BlobInfo;
import hoist.engine.transport.IncomingBlob;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes one image as a docker archive ({@code docker load}'s input) onto a stream, entry by entry
 * as the blobs arrive, never seeking back: configs as {@code HEX.json} and layers as
 * {@code HEX.tar} (HEX the hex digest of the bytes written), then {@code manifest.json} naming
 * them. A tar header needs the entry's size before its bytes, so a blob of known size streams
 * straight through; one whose size is not known yet (made on the way, e.g. decompressed) is first
 * received into a temporary file and sent from there, one blob at a time. Owner and times are
 * fixed so the stream is reproducible.
 *
 * @see <a href="https://github.com/moby/moby/blob/master/image/spec/v1.2.md">Docker image specification v1.2 (the archive layout)</a>
 */
public final class ArchiveStreamWriter {

    private static final int BLOCK = 512;

    private final OutputStream out;
    private final Path tempDir;
    private final byte[] buffer = new byte[256 * 1024];
    private final Set<Digest> written = new HashSet<>();

    /** {@code out} receives the archive; {@code tempDir} holds blobs of unknown size while they arrive. */
    public ArchiveStreamWriter(OutputStream out, Path tempDir) {
        this.out = out;
        this.tempDir = tempDir;
    }

    /** Whether a blob with this digest has been written already. */
    public synchronized boolean contains(Digest digest) {
        return written.contains(digest);
    }

    /**
     * Writes a blob as one entry, reading {@code stream} to its end. Returns its digest and size.
     * A stream that ends before or runs past the size {@code info} declares is an error (the
     * archive is then unusable: the caller abandons it).
     */
    public Descriptor putBlob(InputStream stream, BlobInfo info) throws IOException {
        return putBlob(stream, info, null);
    }

    /**
     * As {@link #putBlob(InputStream, BlobInfo)}, with the entry named after {@code storedAs}: the
     * digest the manifest passed to {@link #finish} gives the blob, when the bytes written differ
     * from it (a layer decompressed on the way, which {@code docker load} reads by its diff ID
     * anyway). Null: named after the bytes written.
     */
    public synchronized Descriptor putBlob(InputStream stream, BlobInfo info, Digest storedAs) throws IOException {
        if (info.digest() == null || info.size() < 0) {
            IncomingBlob incoming = IncomingBlob.receive(stream, info, tempDir, false);
            try (InputStream file = Files.newInputStream(incoming.file())) {
                return putKnown(file, incoming.digest(), incoming.size(), info, storedAs);
            } finally {
                incoming.discard();
            }
        }
        return putKnown(stream, info.digest(), info.size(), info, storedAs);
    }

    private Descriptor putKnown(InputStream stream, Digest digest, long size, BlobInfo info, Digest storedAs) throws IOException {
        Digest name = storedAs != null ? storedAs : digest;
        out.write(header(fileName(name, info.isConfig()), size));
        long remaining = size;
        int n;
        while (remaining > 0 && (n = stream.read(buffer, 0, (int) Math.min(buffer.length, remaining))) >= 0) {
            out.write(buffer, 0, n);
            remaining -= n;
        }
        if (remaining > 0) {
            throw new HoistException("blob " + digest + " ended after " + (size - remaining) + " of its " + size + " bytes");
        }
        if (stream.read() >= 0) {
            throw new HoistException("blob " + digest + " is larger than the " + size + " bytes its descriptor declares");
        }
        pad(size);
        written.add(name);
        return new Descriptor(info.mediaType(), digest, size);
    }

    /**
     * Writes {@code manifest.json} for {@code manifest}'s config and layers (which must have been
     * written), tagged {@code repoTags} (docker's familiar names; may be empty), and the end of the
     * archive, and flushes.
     */
    public synchronized void finish(ImageManifest manifest, List<String> repoTags) throws IOException {
        for (Descriptor blob : manifest.layers()) {
            requireWritten(blob);
        }
        requireWritten(manifest.config());
        ArchiveManifest archive = new ArchiveManifest(List.of(new ArchiveManifest.Item(
                fileName(manifest.config().digest(), true), repoTags,
                manifest.layers().stream().map(l -> fileName(l.digest(), false)).toList())));
        byte[] json = archive.toJson();
        out.write(header(ArchiveManifest.FILE, json.length));
        out.write(json);
        pad(json.length);
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    private void requireWritten(Descriptor blob) {
        if (!written.contains(blob.digest())) {
            throw new IllegalStateException("blob " + blob.digest() + " of the manifest was not written");
        }
    }

    static String fileName(Digest digest, boolean config) {
        return digest.hex() + (config ? ".json" : ".tar");
    }

    private void pad(long size) throws IOException {
        int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
        if (padding > 0) {
            out.write(new byte[padding]);
        }
    }

    private static byte[] header(String name, long size) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setModTime(new Date(0));
        entry.setIds(0, 0);
        entry.setMode(0100644);
        entry.setSize(size);
        byte[] header = new byte[BLOCK];
        entry.writeEntryHeader(header, ZipEncodingHelper.getZipEncoding("UTF-8"), true); // star mode: sizes past 8 GiB in base-256
        return header;
    }
}
