package hoist.engine.transport.storage;

import hoist.engine.archive.tarsplit.TarAssembler;
import hoist.engine.archive.tarsplit.TarSplitException;
import hoist.engine.archive.tarsplit.TarSplitReader;
import hoist.engine.HoistException;
import hoist.engine.image.Digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A layer's tarball read from the store: rebuilt from {@code ID.tar-split.gz} and the layer's
 * files while {@code layers.lock} is held shared, so that no podman or buildah removes or changes
 * the layer underneath. Without tar-split data the tarball is written from the directory
 * instead (with a warning); the copier's check against the diff ID then tells whether it came out
 * the same.
 */
final class LayerStream extends FilterInputStream {

    private final StorageLock.Held lock;

    private LayerStream(InputStream in, StorageLock.Held lock) {
        super(in);
        this.lock = lock;
    }

    /**
     * The layer's tarball; {@code below} are the layers under it, bottom first (for rebuilding a
     * layer without tar-split data).
     *
     * @throws HoistException when the layer's files are missing; reading throws one when a tarball
     *                        written from the files does not match the layer's diff ID
     */
    static InputStream open(ContainersStorage storage, LayerRecord layer, List<LayerRecord> below, String what) throws IOException {
        StorageLock.Held lock = storage.layersLock().shared();
        try {
            Path files = storage.layerFiles(layer.id());
            if (!Files.isDirectory(files)) {
                throw new HoistException(what + ": the files of layer " + layer.id() + " are missing (" + files + ")");
            }
            Path split = storage.tarSplit(layer.id());
            InputStream tar;
            if (Files.exists(split)) {
                // the copier checks the tarball against the diff ID, and asks changedFile when it differs
                tar = TarAssembler.withoutChecksums(TarSplitReader.openGzip(split), files, "layer " + layer.id());
            } else {
                boolean overlay = storage.options().driver().equals("overlay");
                Path parent = overlay || layer.parent() == null ? null : storage.layerFiles(layer.parent());
                List<Path> lowers = new ArrayList<>();
                for (int i = below.size() - 1; i >= 0; i--) {
                    lowers.add(storage.layerFiles(below.get(i).id()));
                }
                tar = new Checked(DirectoryTar.open(files, parent, lowers, overlay), layer, files, what);
            }
            return new LayerStream(tar, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return in.read(b, off, len);
    }

    /**
     * Why a layer's rebuilt tarball did not match its diff ID, found by rebuilding it again with
     * every file checked against its tar-split checksum: the message of the first file that
     * differs ({@code "layer ID: NAME does not match its tar-split checksum ..."}), or empty when
     * the layer has no tar-split data or every file still matches.
     */
    static Optional<String> changedFile(ContainersStorage storage, LayerRecord layer) {
        Path split = storage.tarSplit(layer.id());
        if (!Files.exists(split)) {
            return Optional.empty();
        }
        try (StorageLock.Held lock = storage.layersLock().shared();
             InputStream tar = new TarAssembler(TarSplitReader.openGzip(split), storage.layerFiles(layer.id()), "layer " + layer.id())) {
            tar.transferTo(OutputStream.nullOutputStream());
            return Optional.empty();
        } catch (TarSplitException e) {
            return Optional.of(e.getMessage());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A tarball written from a layer's files, checked against the layer's diff ID at its end. */
    private static final class Checked extends FilterInputStream {
        private final LayerRecord layer;
        private final Path files;
        private final String what;
        private final MessageDigest sha256;
        private long size;

        Checked(InputStream in, LayerRecord layer, Path files, String what) {
            super(in);
            this.layer = layer;
            this.files = files;
            this.what = what;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                sha256.update(b, off, n);
                size += n;
            } else if (n < 0) {
                Digest got = Digest.parse("sha256:" + HexFormat.of().formatHex(sha256.digest()));
                if (!got.equals(layer.diffDigest())) {
                    throw new HoistException(what + ": layer " + layer.id() + " has no tar-split data, and the tarball written from "
                            + files + " (" + got + ", " + size + " bytes) is not the layer's " + layer.diffDigest()
                            + "; podman or buildah cannot push it unchanged either");
                }
            }
            return n;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            lock.close();
        }
    }
}
