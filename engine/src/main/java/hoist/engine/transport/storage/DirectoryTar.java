package hoist.engine.transport.storage;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A tarball written from a layer directory, for layers stored without tar-split data: entries in
 * name order, PAX headers where names are long, hard links as links to the first name seen.
 * Written by a helper thread into a pipe, so it streams like a rebuilt layer.
 */
final class DirectoryTar {

    private DirectoryTar() {
    }

    static InputStream open(Path root) throws IOException {
        PipedInputStream in = new PipedInputStream(1 << 20);
        PipedOutputStream out = new PipedOutputStream(in);
        Thread writer = new Thread(() -> {
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                write(root, tar);
            } catch (IOException e) {
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

    private static void write(Path root, TarArchiveOutputStream tar) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.filter(p -> !p.equals(root)).sorted().toList();
        }
        Map<Object, String> firstNames = new HashMap<>();
        for (Path path : paths) {
            String name = root.relativize(path).toString();
            PosixFileAttributes attrs = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            TarArchiveEntry entry;
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
                }
            } else {
                entry = new TarArchiveEntry(name, TarArchiveEntry.LF_FIFO);
            }
            entry.setMode(((Number) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue() & 07777);
            entry.setUserId(((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue());
            entry.setGroupId(((Number) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue());
            entry.setModTime(attrs.lastModifiedTime());
            tar.putArchiveEntry(entry);
            if (entry.isFile() && !entry.isLink()) {
                Files.copy(path, tar);
            }
            tar.closeArchiveEntry();
        }
    }
}
