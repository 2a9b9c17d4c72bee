package hoist.engine.store;

import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.image.Manifest;
import hoist.engine.io.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The store's content-addressed blobs, manifests included: {@code blobs/sha256/HEX}, each exactly
 * as received. A blob appears whole or not at all (moved in from a staging directory, or written
 * to a temporary name and renamed); only {@link #sweep} removes blobs, under the store lock.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md#blobs">OCI image layout: blobs</a>
 */
final class BlobStore {

    private final Path root;
    private final Path directory;

    /** The blobs of the store at {@code root} (whose {@code blobs/sha256} exists). */
    BlobStore(Path root) {
        this.root = root;
        this.directory = root.resolve("blobs").resolve("sha256");
    }

    /** Where the blob {@code digest} is (or would be) kept. */
    Path path(Digest digest) {
        return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    /** Whether the blob is here, of {@code size} bytes ({@code size < 0}: any size). */
    boolean has(Digest digest, long size) throws IOException {
        Path file = path(digest);
        return Files.isRegularFile(file) && (size < 0 || Files.size(file) == size);
    }

    /** The blob's bytes. @throws HoistException when it is missing, which {@code hoist check} reports */
    InputStream open(Digest digest) throws IOException {
        Path file = path(digest);
        if (!Files.isRegularFile(file)) {
            throw new HoistException("blob " + digest + " is missing from the local store " + root + "; run hoist check");
        }
        return Files.newInputStream(file);
    }

    /** A small blob read whole: a manifest or a config. */
    byte[] read(Digest digest) throws IOException {
        try (InputStream in = open(digest)) {
            return in.readAllBytes();
        }
    }

    /**
     * Moves staged blobs in; one already here is kept and the staged copy deleted. A blob staged
     * without a file (reused without a pin) is left to {@link #requireAll}.
     */
    void publish(List<LocalStore.Staged> staged) throws IOException {
        for (LocalStore.Staged blob : staged) {
            if (blob.file() == null) {
                continue;
            }
            Path target = path(blob.digest());
            if (Files.exists(target)) {
                Files.deleteIfExists(blob.file());
            } else {
                AtomicFiles.move(blob.file(), target);
            }
        }
    }

    /**
     * Writes a manifest made here (an edited list) unless a blob of its digest is here already;
     * through a temporary file in {@code ROOT/tmp}, never a half file in the blob directory. Under the store lock.
     */
    void putIfMissing(Manifest manifest) throws IOException {
        Path file = path(manifest.digest());
        if (!Files.exists(file)) {
            ImageIndexFile.replace(file, manifest.raw(), root.resolve("tmp"));
        }
    }

    /**
     * Checks every blob {@code manifest} needs is here (a concurrent rmi may have removed one).
     *
     * @throws HoistException naming the first blob missing
     */
    void requireAll(Manifest manifest) throws IOException {
        for (Digest digest : References.of(this, manifest)) {
            if (!has(digest, -1)) {
                throw new HoistException("blob " + digest + " vanished from the local store while the image was written "
                        + "(removed by a concurrent rmi?); retry");
            }
        }
    }

    /** Deletes every blob not in {@code live}; files that are not named by a digest stay. Runs under the store lock. */
    void sweep(Set<Digest> live) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                String hex = file.getFileName().toString();
                if (Digest.isDigest("sha256:" + hex) && !live.contains(new Digest("sha256", hex))) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
