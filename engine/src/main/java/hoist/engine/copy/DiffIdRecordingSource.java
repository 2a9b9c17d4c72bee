package hoist.engine.copy;

import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A source whose blobs, read to their end, leave behind their diff ID (the digest of their
 * uncompressed bytes) and stored size: what an image without a config (Docker schema 1) needs
 * to get one, computed while the layers stream to their destinations. Everything else is the
 * wrapped source's. Closing this does not close the wrapped source.
 */
final class DiffIdRecordingSource implements ImageSource {

    /** What reading one blob to its end found. */
    record Found(Digest diffId, long size) {
    }

    private final ImageSource source;
    private final Map<Digest, Found> found = new ConcurrentHashMap<>();

    DiffIdRecordingSource(ImageSource source) {
        this.source = source;
    }

    /** What was found of {@code blob}, if it was read to its end. */
    Optional<Found> found(Digest blob) {
        return Optional.ofNullable(found.get(blob));
    }

    /**
     * Reads {@code blob} to its end (for a layer the copy did not read, as its destinations had it)
     * and returns what was found.
     */
    Found read(Descriptor blob) throws IOException {
        try (InputStream in = new hoist.engine.image.VerifyingInputStream(blob(blob), blob.digest(), blob.size(),
                reference().text() + ": blob")) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return found(blob.digest()).orElseThrow(() -> new IOException(blob.digest() + ": read, but not to its end"));
    }

    @Override
    public ImageReference reference() {
        return source.reference();
    }

    @Override
    public RawManifest manifest(Digest instance) throws IOException {
        return source.manifest(instance);
    }

    @Override
    public List<String> imageNames() {
        return source.imageNames();
    }

    @Override
    public InputStream blob(Descriptor blob) throws IOException {
        return new Recording(source.blob(blob), blob.digest());
    }

    @Override
    public Optional<List<Integer>> sequentialLayerOrder(ImageManifest manifest) {
        return source.sequentialLayerOrder(manifest);
    }

    @Override
    public List<byte[]> signatures(Digest instance) throws IOException {
        return source.signatures(instance);
    }

    /** Passes the bytes on, feeding them to an {@link UncompressedDigest}; records the result at the end. */
    private final class Recording extends FilterInputStream {

        private final Digest blob;
        private final UncompressedDigest uncompressed = new UncompressedDigest();
        private long size;
        private boolean ended;

        Recording(InputStream in, Digest blob) {
            super(in);
            this.blob = blob;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                uncompressed.update(buffer, offset, n);
                size += n;
            } else if (n < 0 && !ended) {
                ended = true;
                found.put(blob, new Found(uncompressed.digest(), size));
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(n, 8192)];
            int read = read(buffer, 0, buffer.length);
            return Math.max(read, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
