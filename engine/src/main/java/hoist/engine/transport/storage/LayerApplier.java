package hoist.engine.transport.storage;

import hoist.engine.HoistException;
import hoist.engine.archive.tarsplit.TarHeader;
import hoist.engine.archive.tarsplit.TarSplitRecorder;
import hoist.engine.archive.tarsplit.TarSplitWriter;
import hoist.engine.io.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Extracts a layer tarball into a layer directory the way a graph driver applies it, recording
 * its tar-split data on the way. Whiteouts ({@code .wh.NAME}) and opaque-directory markers
 * ({@code .wh..wh..opq}) become what the driver uses: for {@code vfs}, whose directory starts as a
 * copy of the parent's, the named files are deleted (and an opaque directory loses what it had
 * from below); for {@code overlay}, a whiteout is a 0/0 character device and an opaque directory
 * carries the {@code trusted.overlay.opaque=y} xattr ({@code user.overlay.opaque=y} in a rootless store). Owners, modes, times and xattrs are
 * kept. Java can create neither device nodes nor FIFOs nor {@code trusted.}/{@code security.}
 * xattrs, so those rare entries are made by {@code mknod} and {@code setfattr} processes.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/layer.md">OCI layer changesets</a>
 */
final class LayerApplier {

    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final int BUFFER = 256 * 1024;

    private final Path root;
    private final Path realRoot;
    private final boolean overlay;
    private final Set<Long> uids = new TreeSet<>();
    private final Set<Long> gids = new TreeSet<>();
    private final Set<Path> written = new HashSet<>();
    private final List<Path> opaqueDirs = new ArrayList<>();
    private final String opaqueXattr;
    private final List<Map.Entry<Path, Long>> directoryTimes = new ArrayList<>();
    private final byte[] buffer = new byte[BUFFER];
    private Path checkedParent;

    LayerApplier(Path root, boolean overlay) throws IOException {
        this(root, overlay, StoreOptions.uid() != 0);
    }

    /**
     * {@code rootless}: the store belongs to an unprivileged user, whose overlay marks opaque
     * directories with {@code user.overlay.opaque} (the {@code trusted.} namespace is root's), as
     * rootless containers/storage does.
     */
    LayerApplier(Path root, boolean overlay, boolean rootless) throws IOException {
        this.opaqueXattr = rootless ? "user.overlay.opaque" : "trusted.overlay.opaque";
        this.root = root;
        this.realRoot = root.toRealPath();
        this.overlay = overlay;
    }

    /** Applies {@code tar} (uncompressed), writing its tar-split lines to {@code out}. */
    void apply(InputStream tar, TarSplitWriter out) throws IOException {
        TarSplitRecorder.record(tar, out, this::entry);
        for (Path dir : opaqueDirs) {
            run("setfattr", "-n", opaqueXattr, "-v", "y", dir.toString());
        }
        for (int i = directoryTimes.size() - 1; i >= 0; i--) {
            Map.Entry<Path, Long> dir = directoryTimes.get(i);
            setTime(dir.getKey(), dir.getValue());
        }
    }

    Set<Long> uids() {
        return uids;
    }

    Set<Long> gids() {
        return gids;
    }

    private void entry(TarHeader header, InputStream content) throws IOException {
        Path relative = relative(header.nameText());
        if (relative == null) {
            if (header.type() == TarHeader.DIRECTORY) {
                attributes(root, header);
                directoryTimes.add(Map.entry(root, header.mtime()));
            }
            return;
        }
        Path target = root.resolve(relative);
        Path parent = target.getParent();
        String base = relative.getFileName().toString();
        ensureParent(parent);
        if (base.equals(OPAQUE)) {
            if (overlay) {
                opaqueDirs.add(parent);
            } else {
                clearFromBelow(parent);
            }
            return;
        }
        if (base.startsWith(WHITEOUT)) {
            if (base.startsWith(".wh..wh.")) {
                return; // other AUFS metadata carries nothing to apply
            }
            Path victim = parent.resolve(base.substring(WHITEOUT.length()));
            remove(victim);
            if (overlay) {
                run("mknod", victim.toString(), "c", "0", "0");
                written.add(victim);
            }
            return;
        }
        boolean isDir = header.type() == TarHeader.DIRECTORY;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !(isDir && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS))) {
            remove(target);
        }
        switch (header.type()) {
            case TarHeader.DIRECTORY -> {
                if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(target);
                }
                directoryTimes.add(Map.entry(target, header.mtime()));
            }
            case TarHeader.REGULAR -> writeFile(target, content);
            case TarHeader.HARD_LINK -> {
                Path linked = relative(header.linkName());
                if (linked == null || !Files.exists(root.resolve(linked), LinkOption.NOFOLLOW_LINKS)) {
                    throw new HoistException("layer tarball: hard link " + header.nameText() + " points to "
                            + header.linkName() + ", which is not in the layer");
                }
                Files.createLink(target, root.resolve(linked));
                written.add(target);
                return; // the link shares the target's owner, mode and times
            }
            case TarHeader.SYMLINK -> Files.createSymbolicLink(target, Path.of(header.linkName()));
            case TarHeader.FIFO -> run("mknod", target.toString(), "p");
            case TarHeader.CHAR_DEVICE, TarHeader.BLOCK_DEVICE -> run("mknod", target.toString(),
                    header.type() == TarHeader.CHAR_DEVICE ? "c" : "b", Long.toString(header.devMajor()), Long.toString(header.devMinor()));
            default -> throw new HoistException("layer tarball: entry " + header.nameText() + " has unsupported type '"
                    + header.type() + "'");
        }
        written.add(target);
        attributes(target, header);
        if (header.type() == TarHeader.REGULAR || header.type() == TarHeader.SYMLINK) {
            setTime(target, header.mtime());
        } else if (header.type() != TarHeader.DIRECTORY) {
            // Java opens a file to set its times, which blocks on a FIFO: touch sets them by name
            run("touch", "-h", "-m", "-d", "@" + header.mtime(), target.toString());
        }
    }

    private void writeFile(Path target, InputStream content) throws IOException {
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int n;
            while ((n = content.read(buffer, 0, buffer.length)) > 0) {
                out.write(buffer, 0, n);
            }
        }
    }

    private void attributes(Path target, TarHeader header) throws IOException {
        boolean symlink = header.type() == TarHeader.SYMLINK;
        boolean special = header.type() == TarHeader.FIFO || header.type() == TarHeader.CHAR_DEVICE
                || header.type() == TarHeader.BLOCK_DEVICE;
        Files.setAttribute(target, "unix:uid", (int) header.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(target, "unix:gid", (int) header.gid(), LinkOption.NOFOLLOW_LINKS);
        uids.add(header.uid());
        gids.add(header.gid());
        if (!symlink) {
            Files.setAttribute(target, "unix:mode", header.mode() & 07777);
        }
        for (Map.Entry<String, byte[]> xattr : header.xattrs().entrySet()) {
            String name = xattr.getKey();
            if (name.startsWith("user.") && !symlink && !special) {
                Files.getFileAttributeView(target, UserDefinedFileAttributeView.class)
                        .write(name.substring(5), ByteBuffer.wrap(xattr.getValue()));
            } else {
                run("setfattr", "-h", "-n", name, "-v", "0x" + HexFormat.of().formatHex(xattr.getValue()), target.toString());
            }
        }
    }

    private static void setTime(Path target, long seconds) {
        try {
            Files.getFileAttributeView(target, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.fromMillis(seconds * 1000), null, null);
        } catch (IOException | UnsupportedOperationException e) {
            // a time that cannot be set (a symlink on some systems) changes no byte of the layer
        }
    }

    /** The entry's path inside the layer, null for the layer's root; names that climb out are refused. */
    private static Path relative(String name) {
        String trimmed = name;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        Path p = Path.of(trimmed.isEmpty() ? "." : trimmed).normalize();
        if (p.toString().isEmpty() || p.toString().equals(".")) {
            return null;
        }
        if (p.startsWith("..")) {
            throw new HoistException("layer tarball: entry \"" + name + "\" points outside the layer");
        }
        return p;
    }

    /** Makes the parent directories, refusing a parent that a symlink takes outside the layer. */
    private void ensureParent(Path parent) throws IOException {
        if (parent.equals(checkedParent)) {
            return;
        }
        if (!Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        if (!parent.toRealPath().startsWith(realRoot)) {
            throw new HoistException("layer tarball: " + root.relativize(parent) + " leads outside the layer through a symlink");
        }
        checkedParent = parent;
    }

    /** vfs: an opaque directory keeps only what this layer put in it. */
    private void clearFromBelow(Path dir) throws IOException {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                if (!written.contains(child)) {
                    remove(child);
                }
            }
        }
    }

    private static void remove(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            AtomicFiles.deleteTree(path);
        } else {
            Files.deleteIfExists(path);
        }
    }

    static void run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        try {
            if (process.waitFor() != 0) {
                throw new HoistException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted running " + command[0]);
        }
    }
}
