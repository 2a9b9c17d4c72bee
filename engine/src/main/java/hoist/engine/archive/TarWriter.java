package hoist.engine.archive;

import hoist.engine.io.AtomicFiles;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;

/**
 * Packs a directory into a tar file, deterministically (sorted entries, fixed time and owner), so
 * the same content always gives the same archive. File contents are moved by the kernel
 * ({@link FileChannel#transferTo}), not through the JVM. The archive appears at its path only when
 * whole.
 */
public final class TarWriter {

    private static final int BLOCK = 512;
    private static final int MAX_NAME = 99;

    private TarWriter() {
    }

    public static void packDirectory(Path directory, Path tarFile) throws IOException {
        Path temp = AtomicFiles.tempBeside(tarFile);
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                for (Path path : sortedContents(directory)) {
                    addEntry(out, directory, path);
                }
                write(out, ByteBuffer.allocate(2 * BLOCK)); // end of archive
                out.force(true);
            }
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

    private static void addEntry(FileChannel out, Path root, Path path) throws IOException {
        boolean dir = Files.isDirectory(path);
        String name = root.relativize(path).toString().replace('\\', '/') + (dir ? "/" : "");
        if (name.length() > MAX_NAME) {
            throw new IllegalArgumentException("tar entry name longer than " + MAX_NAME + " characters: " + name);
        }
        long size = dir ? 0 : Files.size(path);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setModTime(new Date(0));
        entry.setIds(0, 0);
        entry.setMode(dir ? 040755 : 0100644);
        entry.setSize(size);
        byte[] header = new byte[BLOCK];
        entry.writeEntryHeader(header);
        write(out, ByteBuffer.wrap(header));
        if (!dir) {
            try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
                long done = 0;
                while (done < size) {
                    done += in.transferTo(done, size - done, out);
                }
            }
            int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
            write(out, ByteBuffer.allocate(padding));
        }
    }

    private static void write(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
