package hoist.engine.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An index of the regular files in an uncompressed tar file, read once; each file is then
 * streamed straight from its offset in the tar, so nothing is extracted. Entries that could
 * escape (absolute paths, {@code ..}, links pointing outside the archive) and truncated archives
 * are refused when the index is built.
 */
public final class TarIndex {

    /** Where a file's bytes lie inside the tar. */
    public record Entry(String path, long offset, long size) {
    }

    private static final int MAX_LINK_DEPTH = 16;

    private final Path tarFile;
    private final Map<String, Entry> files;
    private final Map<String, String> links;

    private TarIndex(Path tarFile, Map<String, Entry> files, Map<String, String> links) {
        this.tarFile = tarFile;
        this.files = files;
        this.links = links;
    }

    /** Reads the headers of {@code tarFile}; fails with an error naming the file and the entry at fault. */
    public static TarIndex read(Path tarFile) throws IOException {
        Map<String, Entry> files = new HashMap<>();
        Map<String, String> links = new HashMap<>();
        long fileSize;
        try {
            fileSize = Files.size(tarFile);
        } catch (NoSuchFileException e) {
            throw new InvalidArchiveException(tarFile + ": no such file");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarFile), 64 * 1024);
             TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            TarArchiveEntry entry;
            boolean any = false;
            while ((entry = nextEntry(tar, tarFile)) != null) {
                any = true;
                String path = ArchivePaths.normalize(entry.getName(), tarFile.toString());
                if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                    throw new InvalidArchiveException(tarFile + ": entry \"" + path + "\" is a "
                            + (entry.isFIFO() ? "named pipe" : "device") + "; an image archive holds only files, directories and links");
                }
                if (!entry.isDirectory() && (files.containsKey(path) || links.containsKey(path))) {
                    throw new InvalidArchiveException(tarFile + ": entry \"" + path + "\" appears more than once");
                }
                if (entry.isSymbolicLink()) {
                    links.put(path, ArchivePaths.resolveLink(path, entry.getLinkName(), tarFile.toString()));
                } else if (entry.isLink()) {
                    links.put(path, ArchivePaths.normalize(entry.getLinkName(), tarFile.toString()));
                } else if (entry.isFile()) {
                    long offset = tar.getBytesRead();
                    if (offset + entry.getSize() > fileSize) {
                        throw new InvalidArchiveException(tarFile + " is truncated: entry \"" + path + "\" needs "
                                + entry.getSize() + " bytes, the file ends first");
                    }
                    files.put(path, new Entry(path, offset, entry.getSize()));
                }
            }
            if (!any) {
                throw new InvalidArchiveException(tarFile + " is not a tar archive, or is empty");
            }
        }
        TarIndex index = new TarIndex(tarFile, files, links);
        index.checkLinks();
        return index;
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, Path tarFile) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (EOFException e) {
            throw new InvalidArchiveException(tarFile + " is truncated", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidArchiveException(tarFile + " is not a valid tar archive: " + e.getMessage(), e);
        }
    }

    private void checkLinks() {
        for (String link : links.keySet()) {
            resolve(link);
        }
    }

    /** Follows links to a regular file's path; fails on loops and dangling links. */
    private String resolve(String path) {
        String current = path;
        for (int depth = 0; depth < MAX_LINK_DEPTH; depth++) {
            String next = links.get(current);
            if (next == null) {
                return current;
            }
            current = next;
        }
        throw new InvalidArchiveException(tarFile + ": link \"" + path + "\" is part of a loop");
    }

    public Path tarFile() {
        return tarFile;
    }

    /** The regular file at {@code path}, following links inside the archive. */
    public Optional<Entry> find(String path) {
        return Optional.ofNullable(files.get(resolve(ArchivePaths.normalize(path, tarFile.toString()))));
    }

    public Entry require(String path) {
        return find(path).orElseThrow(() -> new InvalidArchiveException(tarFile + ": no \"" + path + "\" in the archive"));
    }

    /** Paths of all regular files and links. */
    public List<String> paths() {
        List<String> all = new ArrayList<>(files.keySet());
        all.addAll(links.keySet());
        return all;
    }

    /** Streams a file's bytes straight out of the tar. */
    public InputStream open(String path) throws IOException {
        Entry entry = require(path);
        FileChannel channel = FileChannel.open(tarFile, StandardOpenOption.READ);
        try {
            channel.position(entry.offset());
            return new BoundedInputStream(Channels.newInputStream(channel), entry.size(), tarFile + ": \"" + path + "\"");
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public byte[] readAll(String path) throws IOException {
        try (InputStream in = open(path)) {
            return in.readAllBytes();
        }
    }
}
