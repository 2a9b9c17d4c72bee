package hoist.engine.transport.storage;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A layer tarball written from a layer directory, for layers stored without tar-split data:
 * entries in name order, PAX headers where names are long, hard links as links to the first name
 * seen. For overlay, the {@code diff} directory's 0/0 character devices become {@code .wh.NAME}
 * whiteouts and directories marked {@code trusted.overlay.opaque=y} get {@code .wh..wh..opq}; for
 * vfs, whose directory holds the whole tree, only what differs from the parent's tree is written
 * (type, size, mode, owner, time or link target), with whiteouts for what the parent had and this
 * layer has not. Written by a helper thread into a pipe, so it streams like a rebuilt layer. The
 * bytes seldom equal the original tarball's; the copier's check against the diff ID says so.
 */
final class DirectoryTar {

    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;

    private DirectoryTar() {
    }

    /** {@code parent}: for vfs, the parent layer's tree (null for a bottom layer or for overlay). */
    static InputStream open(Path root, Path parent, boolean overlay) throws IOException {
        Map<String, Object> entries = plan(root, parent, overlay);
        PipedInputStream in = new PipedInputStream(1 << 20);
        PipedOutputStream out = new PipedOutputStream(in);
        Thread writer = new Thread(() -> {
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                write(root, entries, tar);
            } catch (IOException | RuntimeException e) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // the reader sees the short stream and the digest check fails
                }
            }
        }, "hoist-directory-tar");
        writer.setDaemon(true);
        writer.start();
        return in;
    }

    private static final Object WHITEOUT = new Object();

    /** Relative name to the file to write, or {@link #WHITEOUT}, sorted by name. */
    private static Map<String, Object> plan(Path root, Path parent, boolean overlay) throws IOException {
        Map<String, Object> entries = new TreeMap<>();
        Set<String> opaque = overlay ? opaqueDirectories(root) : Set.of();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(p -> !p.equals(root)).toList()) {
                String name = root.relativize(path).toString();
                PosixFileAttributes attrs = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (overlay && isWhiteoutDevice(path)) {
                    entries.put(whiteoutName(name), WHITEOUT);
                    continue;
                }
                if (parent != null && !differs(path, attrs, parent.resolve(name))) {
                    continue;
                }
                entries.put(name, path);
                for (Path up = Path.of(name).getParent(); up != null; up = up.getParent()) {
                    entries.putIfAbsent(up.toString(), root.resolve(up.toString()));
                }
                if (opaque.contains(name)) {
                    entries.put(name + "/.wh..wh..opq", WHITEOUT);
                }
            }
        }
        if (parent != null) {
            try (Stream<Path> walk = Files.walk(parent)) {
                Set<String> gone = new HashSet<>();
                for (Path path : walk.filter(p -> !p.equals(parent)).toList()) {
                    String name = parent.relativize(path).toString();
                    Path up = Path.of(name).getParent();
                    if (up != null && gone.contains(up.toString())) {
                        gone.add(name);
                        continue;
                    }
                    if (!Files.exists(root.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                        gone.add(name);
                        entries.put(whiteoutName(name), WHITEOUT);
                        for (Path dir = up; dir != null; dir = dir.getParent()) {
                            entries.putIfAbsent(dir.toString(), root.resolve(dir.toString()));
                        }
                    }
                }
            }
        }
        return entries;
    }

    private static String whiteoutName(String name) {
        Path p = Path.of(name);
        String base = ".wh." + p.getFileName();
        return p.getParent() == null ? base : p.getParent().resolve(base).toString();
    }

    private static boolean isWhiteoutDevice(Path path) throws IOException {
        int mode = ((Number) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
        return (mode & S_IFMT) == S_IFCHR && ((Number) Files.getAttribute(path, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).longValue() == 0;
    }

    private static boolean differs(Path path, PosixFileAttributes attrs, Path before) throws IOException {
        if (!Files.exists(before, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        PosixFileAttributes old = Files.readAttributes(before, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attrs.isDirectory() != old.isDirectory() || attrs.isSymbolicLink() != old.isSymbolicLink()
                || attrs.isRegularFile() != old.isRegularFile() || attrs.size() != old.size()
                || !attrs.permissions().equals(old.permissions()) || !attrs.owner().equals(old.owner())
                || !attrs.group().equals(old.group())) {
            return true;
        }
        if (attrs.isSymbolicLink()) {
            return !Objects.equals(Files.readSymbolicLink(path), Files.readSymbolicLink(before));
        }
        return !attrs.isDirectory() && !attrs.lastModifiedTime().equals(old.lastModifiedTime());
    }

    /** Directories under {@code root} marked opaque, by relative name (one getfattr run for the tree). */
    private static Set<String> opaqueDirectories(Path root) throws IOException {
        Set<String> dirs = new HashSet<>();
        Process named = new ProcessBuilder("getfattr", "-R", "-h", "--absolute-names", "-n", "trusted.overlay.opaque", root.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String listing = new String(named.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            named.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted reading overlay marks");
        }
        String file = null;
        for (String line : listing.split("\n")) {
            if (line.startsWith("# file: ")) {
                file = line.substring("# file: ".length());
            } else if (file != null && line.equals("trusted.overlay.opaque=\"y\"")) {
                dirs.add(root.relativize(Path.of(file)).toString());
            }
        }
        return dirs;
    }

    private static void write(Path root, Map<String, Object> entries, TarArchiveOutputStream tar) throws IOException {
        Map<Object, String> firstNames = new HashMap<>();
        for (Map.Entry<String, Object> planned : entries.entrySet()) {
            String name = planned.getKey();
            if (planned.getValue() == WHITEOUT) {
                TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_NORMAL);
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
                continue;
            }
            Path path = (Path) planned.getValue();
            PosixFileAttributes attrs = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            TarArchiveEntry entry;
            boolean content = false;
            if (attrs.isSymbolicLink()) {
                entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                entry.setLinkName(Files.readSymbolicLink(path).toString());
            } else if (attrs.isDirectory()) {
                entry = new TarArchiveEntry(name + "/", TarArchiveEntry.LF_DIR);
            } else if (attrs.isRegularFile()) {
                int links = ((Number) Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
                String first = links > 1 ? firstNames.putIfAbsent(attrs.fileKey(), name) : null;
                if (first != null) {
                    entry = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
                    entry.setLinkName(first);
                } else {
                    entry = new TarArchiveEntry(name, TarArchiveEntry.LF_NORMAL);
                    entry.setSize(attrs.size());
                    content = true;
                }
            } else {
                int mode = ((Number) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
                if ((mode & S_IFMT) == S_IFCHR || (mode & S_IFMT) == 0060000) {
                    entry = new TarArchiveEntry(name, (mode & S_IFMT) == S_IFCHR ? TarArchiveEntry.LF_CHR : TarArchiveEntry.LF_BLK);
                    long rdev = ((Number) Files.getAttribute(path, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).longValue();
                    entry.setDevMajor((int) ((rdev >> 8) & 0xfff));
                    entry.setDevMinor((int) ((rdev & 0xff) | ((rdev >> 12) & 0xfff00)));
                } else {
                    entry = new TarArchiveEntry(name, TarArchiveEntry.LF_FIFO);
                }
            }
            entry.setMode(((Number) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue() & 07777);
            entry.setUserId(((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue());
            entry.setGroupId(((Number) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue());
            entry.setModTime(attrs.lastModifiedTime());
            tar.putArchiveEntry(entry);
            if (content) {
                Files.copy(path, tar);
            }
            tar.closeArchiveEntry();
        }
    }

}
