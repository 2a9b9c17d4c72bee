package hoist.engine.archive;

import hoist.engine.io.AtomicFiles;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

/**
 * Packs a directory into a tar file, deterministically (sorted entries, fixed time and owner), so
 * the same content always gives the same archive. The archive appears at its path only when whole.
 */
public final class TarWriter {

    private static final FileTime EPOCH = FileTime.fromMillis(0);

    private TarWriter() {
    }

    public static void packDirectory(Path directory, Path tarFile) throws IOException {
        Path temp = AtomicFiles.tempBeside(tarFile);
        try {
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(temp), 256 * 1024);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                for (Path path : sortedContents(directory)) {
                    addEntry(tar, directory, path);
                }
                tar.finish();
            }
            AtomicFiles.force(temp);
            AtomicFiles.move(temp, tarFile);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static List<Path> sortedContents(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(p -> !p.equals(directory)).sorted().toList();
        }
    }

    private static void addEntry(TarArchiveOutputStream tar, Path root, Path path) throws IOException {
        String name = root.relativize(path).toString().replace('\\', '/');
        boolean dir = Files.isDirectory(path);
        TarArchiveEntry entry = new TarArchiveEntry(dir ? name + "/" : name);
        entry.setModTime(EPOCH);
        entry.setIds(0, 0);
        entry.setMode(dir ? 040755 : 0100644);
        if (!dir) {
            entry.setSize(Files.size(path));
        }
        tar.putArchiveEntry(entry);
        if (!dir) {
            Files.copy(path, tar);
        }
        tar.closeArchiveEntry();
    }
}
