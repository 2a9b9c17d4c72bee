package hoist.engine.transport.storage;

import hoist.engine.archive.GoTarWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A layer tarball written from a layer directory, for layers stored without tar-split data, the
 * way containers/storage writes a layer's diff when it has none: entries in the order of a
 * directory walk (each directory's entries sorted by name, the top directory itself left out),
 * directories named with a trailing {@code /}, file type bits in the mode, owner and group by
 * number only (no names, as podman and buildah write them), {@code user.*},
 * {@code security.capability} and {@code security.ima} extended attributes as PAX records, a hard
 * link for each further name of a file, modification times in whole seconds, written by
 * {@link GoTarWriter}. For overlay, a {@code diff} directory's 0/0 character devices become
 * {@code .wh.NAME} whiteouts and a directory marked {@code trusted.overlay.opaque=y} (or, in a
 * rootless store, {@code user.overlay.opaque=y}) that a lower layer also has is followed by
 * {@code .wh..wh..opq}; a rootless store's {@code user.containers.override_stat}
 * ({@code UID:GID:MODE[:TYPE]}) gives the owner, mode and type written instead of the file's own,
 * and neither it nor {@code user.overlay.*} is archived. For vfs, whose directory holds the whole
 * tree, only what differs from the parent's tree is written (containers/storage's naive diff, in
 * path order), with whiteouts for what the parent had; those carry the time they were made, so
 * such a layer never comes out as it was. Written by a helper thread into a pipe; the caller
 * checks the result against the diff ID.
 *
 * @see <a href="https://github.com/containers/storage/blob/main/pkg/archive/archive.go">containers/storage pkg/archive</a>
 */
final class DirectoryTar {

    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFSOCK = 0140000;

    private DirectoryTar() {
    }

    /**
     * {@code parent}: for vfs, the parent layer's tree (null for a bottom layer or for overlay);
     * {@code lowers}: for overlay, the {@code diff} directories of the layers below, nearest first.
     */
    static InputStream open(Path root, Path parent, List<Path> lowers, boolean overlay) throws IOException {
        Map<String, Map<String, byte[]>> xattrs = xattrs(root);
        List<Object[]> entries = parent == null ? walk(root) : changes(root, parent);
        PipedInputStream in = new PipedInputStream(1 << 20);
        PipedOutputStream out = new PipedOutputStream(in);
        Thread writer = new Thread(() -> {
            try (OutputStream pipe = out) {
                GoTarWriter tar = new GoTarWriter(pipe);
                write(root, entries, xattrs, overlay ? lowers : null, tar);
                tar.close();
            } catch (IOException | RuntimeException e) {
                // the reader sees a short stream, and the digest check fails
            }
        }, "hoist-directory-tar");
        writer.setDaemon(true);
        writer.start();
        return in;
    }

    private static final String WHITEOUT = "whiteout";
    /** Where rootless containers/storage keeps a file's true {@code UID:GID:MODE[:TYPE]}. */
    static final String OVERRIDE_STAT = "user.containers.override_stat";

    /** {relative name, path} in the order of containers/storage's directory walk. */
    private static List<Object[]> walk(Path root) throws IOException {
        List<Object[]> entries = new ArrayList<>();
        walk(root, root, entries);
        return entries;
    }

    private static void walk(Path root, Path dir, List<Object[]> into) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted((a, b) -> compareBytes(a.getFileName().toString(), b.getFileName().toString())).toList();
        }
        for (Path child : children) {
            into.add(new Object[] {root.relativize(child).toString(), child});
            if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                walk(root, child, into);
            }
        }
    }

    private static int compareBytes(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** vfs: what differs from the parent's tree, with the directories above it and whiteouts, in path order. */
    private static List<Object[]> changes(Path root, Path parent) throws IOException {
        Map<String, Object> entries = new TreeMap<>(DirectoryTar::compareBytes);
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(p -> !p.equals(root)).toList()) {
                String name = root.relativize(path).toString();
                if (!differs(path, parent.resolve(name))) {
                    continue;
                }
                entries.put(name, path);
                for (Path up = Path.of(name).getParent(); up != null; up = up.getParent()) {
                    entries.putIfAbsent(up.toString(), root.resolve(up.toString()));
                }
            }
        }
        try (Stream<Path> walk = Files.walk(parent)) {
            java.util.Set<String> gone = new java.util.HashSet<>();
            for (Path path : walk.filter(p -> !p.equals(parent)).toList()) {
                String name = parent.relativize(path).toString();
                Path up = Path.of(name).getParent();
                if (up != null && gone.contains(up.toString())) {
                    gone.add(name);
                    continue;
                }
                if (!Files.exists(root.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                    gone.add(name);
                    entries.put(name, WHITEOUT);
                    for (Path dir = up; dir != null; dir = dir.getParent()) {
                        entries.putIfAbsent(dir.toString(), root.resolve(dir.toString()));
                    }
                }
            }
        }
        List<Object[]> list = new ArrayList<>();
        entries.forEach((k, v) -> list.add(new Object[] {k, v}));
        return list;
    }

    private static boolean differs(Path path, Path before) throws IOException {
        if (!Files.exists(before, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        Map<String, Object> now = Files.readAttributes(path, "unix:mode,uid,gid,rdev,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        Map<String, Object> old = Files.readAttributes(before, "unix:mode,uid,gid,rdev,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        if (!now.get("mode").equals(old.get("mode")) || !now.get("uid").equals(old.get("uid"))
                || !now.get("gid").equals(old.get("gid")) || !now.get("rdev").equals(old.get("rdev"))) {
            return true;
        }
        if (((Integer) now.get("mode") & S_IFMT) == S_IFDIR) {
            return false;
        }
        if (((Integer) now.get("mode") & S_IFMT) == S_IFLNK
                && !Objects.equals(Files.readSymbolicLink(path), Files.readSymbolicLink(before))) {
            return true;
        }
        return !now.get("size").equals(old.get("size")) || !now.get("lastModifiedTime").equals(old.get("lastModifiedTime"));
    }

    private static void write(Path root, List<Object[]> entries, Map<String, Map<String, byte[]>> xattrs, List<Path> lowers,
                              GoTarWriter tar) throws IOException {
        Map<Object, String> firstNames = new HashMap<>();
        byte[] buffer = new byte[64 * 1024];
        for (Object[] planned : entries) {
            String name = (String) planned[0];
            if (planned[1] == WHITEOUT) {
                Path p = Path.of(name);
                String wh = (p.getParent() == null ? "" : p.getParent() + "/") + ".wh." + p.getFileName();
                tar.putEntry(new GoTarWriter.Header(wh, '0', 0, 0, 0, 0, System.currentTimeMillis() / 1000, "", "", "", 0, 0, Map.of()));
                continue;
            }
            Path path = (Path) planned[1];
            Map<String, Object> st = Files.readAttributes(path, "unix:mode,uid,gid,rdev,size,nlink,lastModifiedTime,fileKey",
                    LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) st.get("mode");
            int format = mode & S_IFMT;
            if (format == S_IFSOCK) {
                continue; // containers/storage skips sockets
            }
            long uid = ((Number) st.get("uid")).longValue();
            long gid = ((Number) st.get("gid")).longValue();
            Map<String, byte[]> attrs = new TreeMap<>(xattrs.getOrDefault(path.toString(), Map.of()));
            byte[] override = attrs.remove(OVERRIDE_STAT);
            String forcedType = null;
            if (override != null) {
                // a rootless store's true owner, mode and maybe type, kept in an xattr where it cannot chown or mknod
                String[] parts = new String(override, StandardCharsets.UTF_8).split(":");
                if (parts.length >= 3) {
                    uid = Long.parseLong(parts[0]);
                    gid = Long.parseLong(parts[1]);
                    mode = (mode & ~07777) | (Integer.parseInt(parts[2], 8) & 07777);
                    forcedType = parts.length > 3 ? parts[3] : null;
                }
            }
            long rdev = ((Number) st.get("rdev")).longValue();
            if (forcedType != null && format == S_IFREG) {
                String[] dev = forcedType.split("-");
                if (forcedType.startsWith("pipe")) {
                    format = S_IFIFO;
                } else if ((forcedType.startsWith("char-") || forcedType.startsWith("block-")) && dev.length >= 3) {
                    format = forcedType.startsWith("char-") ? S_IFCHR : S_IFBLK;
                    long major = Long.parseLong(dev[1]);
                    long minor = Long.parseLong(dev[2]);
                    rdev = ((major & 0xfff) << 8) | (minor & 0xff) | ((minor & 0xfff00) << 12);
                }
            }
            long mtime = Math.floorDiv(((java.nio.file.attribute.FileTime) st.get("lastModifiedTime")).toMillis(), 1000L);
            char type;
            long size = 0;
            String link = "";
            long major = 0;
            long minor = 0;
            switch (format) {
                case S_IFDIR -> {
                    type = '5';
                    name = name + "/";
                }
                case S_IFLNK -> {
                    type = '2';
                    link = Files.readSymbolicLink(path).toString();
                }
                case S_IFCHR, S_IFBLK -> {
                    type = format == S_IFCHR ? '3' : '4';
                    major = (rdev >> 8) & 0xfff;
                    minor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00);
                }
                case S_IFIFO -> type = '6';
                default -> {
                    type = '0';
                    size = ((Number) st.get("size")).longValue();
                }
            }
            if (format != S_IFDIR && ((Number) st.get("nlink")).intValue() > 1) {
                String first = firstNames.putIfAbsent(st.get("fileKey"), name);
                if (first != null) {
                    type = '1';
                    link = first;
                    size = 0;
                }
            }
            byte[] opaqueMark = attrs.remove("trusted.overlay.opaque");
            byte[] userOpaqueMark = attrs.remove("user.overlay.opaque");
            attrs.keySet().removeIf(k -> k.startsWith("user.overlay."));
            boolean opaque = lowers != null && format == S_IFDIR && (java.util.Arrays.equals(opaqueMark, new byte[] {'y'})
                    || java.util.Arrays.equals(userOpaqueMark, new byte[] {'y'}));
            GoTarWriter.Header header;
            if (lowers != null && format == S_IFCHR && major == 0 && minor == 0) {
                Path p = Path.of(name);
                String wh = (p.getParent() == null ? "" : p.getParent() + "/") + ".wh." + p.getFileName();
                header = new GoTarWriter.Header(wh, '0', 0, uid, gid, 0, mtime, "", "", "", 0, 0, attrs);
            } else {
                header = new GoTarWriter.Header(name, type, mode & 07777 | format, uid, gid, size, mtime, link,
                        "", "", major, minor, attrs);
            }
            tar.putEntry(header);
            if (type == '0' && size > 0) {
                try (InputStream content = Files.newInputStream(path)) {
                    long left = size;
                    while (left > 0) {
                        int n = content.read(buffer, 0, (int) Math.min(buffer.length, left));
                        if (n < 0) {
                            throw new IOException(path + " shrank while it was read");
                        }
                        tar.write(buffer, 0, n);
                        left -= n;
                    }
                }
            }
            if (opaque && inLowerLayer(lowers, name)) {
                tar.putEntry(new GoTarWriter.Header(name + ".wh..wh..opq", '0', mode & 0777, uid, gid, 0, 0, "",
                        "", "", 0, 0, Map.of()));
            }
        }
    }

    /** Whether a lower layer has the directory (and no lower layer whites it out first). */
    private static boolean inLowerLayer(List<Path> lowers, String name) throws IOException {
        for (Path lower : lowers) {
            Path there = lower.resolve(name);
            if (Files.exists(there)) {
                return !isWhiteoutDevice(there);
            }
            for (Path dir = Path.of(name).getParent(); dir != null; dir = dir.getParent()) {
                Path up = lower.resolve(dir.toString());
                if (Files.exists(up) && isWhiteoutDevice(up)) {
                    return false;
                }
            }
        }
        return false;
    }

    private static boolean isWhiteoutDevice(Path path) throws IOException {
        Map<String, Object> st = Files.readAttributes(path, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
        return ((Integer) st.get("mode") & S_IFMT) == S_IFCHR && ((Number) st.get("rdev")).longValue() == 0;
    }

    /**
     * The extended attributes containers/storage archives ({@code user.*}, {@code security.capability},
     * {@code security.ima}), and overlay's opaque mark, of every path under {@code root} (one getfattr run).
     */
    private static Map<String, Map<String, byte[]>> xattrs(Path root) throws IOException {
        Process getfattr = new ProcessBuilder("getfattr", "-R", "-h", "--absolute-names", "-d", "-e", "hex",
                "-m", "^(user\\..*|security\\.capability|security\\.ima|trusted\\.overlay\\.opaque)$", root.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String listing = new String(getfattr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            getfattr.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted reading extended attributes");
        }
        Map<String, Map<String, byte[]>> all = new HashMap<>();
        String file = null;
        for (String line : listing.split("\n")) {
            if (line.startsWith("# file: ")) {
                file = line.substring("# file: ".length());
            } else if (file != null && line.contains("=0x")) {
                int eq = line.indexOf("=0x");
                all.computeIfAbsent(file, f -> new TreeMap<>()).put(line.substring(0, eq), HexFormat.of().parseHex(line.substring(eq + 3)));
            }
        }
        return all;
    }
}
