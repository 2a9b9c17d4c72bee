package hoist.engine.transport.storage;

import hoist.engine.archive.tarsplit.TarAssembler;
import hoist.engine.archive.tarsplit.TarSplitReader;
import hoist.engine.HoistException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

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

    static InputStream open(ContainersStorage storage, LayerRecord layer, String what) throws IOException {
        StorageLock.Held lock = storage.layersLock().shared();
        try {
            Path files = storage.layerFiles(layer.id());
            if (!Files.isDirectory(files)) {
                throw new HoistException(what + ": the files of layer " + layer.id() + " are missing (" + files + ")");
            }
            Path split = storage.tarSplit(layer.id());
            InputStream tar;
            if (Files.exists(split)) {
                // the copier names the reference in front of a read failure
                tar = new TarAssembler(TarSplitReader.openGzip(split), files, "layer " + layer.id());
            } else {
                System.err.println("Warning: layer " + layer.id() + " has no tar-split data; writing its tarball from "
                        + files + " (its digest may differ from " + layer.diffDigest() + ")");
                boolean overlay = storage.options().driver().equals("overlay");
                Path parent = overlay || layer.parent() == null ? null : storage.layerFiles(layer.parent());
                tar = DirectoryTar.open(files, parent, overlay);
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

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            lock.close();
        }
    }
}
