package hoist.engine.archive.tarsplit;

import hoist.engine.io.BulkInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The archive that tar-split lines describe, rebuilt as a stream: segments are written as they
 * are, each file entry's content is read from {@code root/NAME} and checked against the recorded
 * size and, when asked, the recorded CRC-64. Nothing is held beyond one buffer; the files are
 * opened one at a time. A file that is missing, shorter, or whose checksum differs fails the read
 * with a {@link TarSplitException} naming it.
 *
 * <p>The checksums cost a third of the work of a push from containers-storage, and a reader that
 * checks the whole tarball against its diff ID anyway (the copier does) learns of any change
 * without them: such a reader streams with {@link #withoutChecksums}, and reads again with
 * {@link #TarAssembler(TarSplitReader, Path, String) checksums} only to name the file that changed.
 *
 * @see <a href="https://github.com/vbatts/tar-split/blob/main/tar/asm/assemble.go">tar-split assembly</a>
 */
public final class TarAssembler extends BulkInputStream {

    private final TarSplitReader lines;
    private final Path root;
    private final String what;
    private final Crc64 crc;
    private byte[] segment;
    private int segmentPos;
    private InputStream file;
    private TarSplitEntry fileEntry;
    private long fileRemaining;
    private boolean done;

    /**
     * Rebuilds from {@code lines} (closed with this stream) and the files under {@code root},
     * checking each file's CRC-64; {@code what} names the layer in messages.
     */
    public TarAssembler(TarSplitReader lines, Path root, String what) {
        this(lines, root, what, new Crc64());
    }

    private TarAssembler(TarSplitReader lines, Path root, String what, Crc64 crc) {
        this.lines = lines;
        this.root = root;
        this.what = what;
        this.crc = crc;
    }

    /**
     * Rebuilds as {@link #TarAssembler} does, checking each file's size but not its CRC-64: for a
     * reader that verifies the whole tarball's digest itself.
     */
    public static TarAssembler withoutChecksums(TarSplitReader lines, Path root, String what) {
        return new TarAssembler(lines, root, what, null);
    }


    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!done) {
            if (segment != null) {
                int n = Math.min(len, segment.length - segmentPos);
                System.arraycopy(segment, segmentPos, b, off, n);
                segmentPos += n;
                if (segmentPos == segment.length) {
                    segment = null;
                }
                if (n > 0) {
                    return n;
                }
                continue;
            }
            if (file != null) {
                int n = file.read(b, off, (int) Math.min(len, fileRemaining));
                if (n < 0) {
                    throw new TarSplitException(what + ": " + fileEntry.nameText() + " is shorter than the "
                            + fileEntry.size() + " bytes its tar-split data records");
                }
                if (crc != null) {
                    crc.update(b, off, n);
                }
                fileRemaining -= n;
                if (fileRemaining == 0) {
                    finishFile();
                }
                return n;
            }
            advance();
        }
        return -1;
    }

    private void advance() throws IOException {
        TarSplitEntry entry = lines.next();
        if (entry == null) {
            done = true;
            return;
        }
        if (entry.type() == TarSplitEntry.Type.SEGMENT) {
            if (entry.payload().length > 0) {
                segment = entry.payload();
                segmentPos = 0;
            }
            return;
        }
        if (entry.size() == 0) {
            return;
        }
        Path path = resolve(entry);
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new TarSplitException(what + ": " + entry.nameText() + " is recorded in the tar-split data as a file of "
                    + entry.size() + " bytes, but " + root + " has " + (Files.exists(path, LinkOption.NOFOLLOW_LINKS)
                    ? "something else there" : "no such file"));
        }
        try {
            file = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new TarSplitException(what + ": " + entry.nameText() + " is recorded in the tar-split data but missing from "
                    + root);
        }
        fileEntry = entry;
        fileRemaining = entry.size();
        if (crc != null) {
            crc.reset();
        }
    }

    private void finishFile() throws IOException {
        file.close();
        file = null;
        byte[] recorded = fileEntry.payload();
        if (crc != null && recorded != null && !Arrays.equals(recorded, crc.bytes())) {
            throw new TarSplitException(what + ": " + fileEntry.nameText()
                    + " does not match its tar-split checksum (the file changed since the layer was stored)");
        }
    }

    /** The extracted file of an entry, refusing names that climb out of the root. */
    private Path resolve(TarSplitEntry entry) throws TarSplitException {
        String name = new String(entry.name(), StandardCharsets.UTF_8);
        Path relative;
        try {
            relative = Path.of("/").resolve(name).normalize();
        } catch (InvalidPathException e) {
            throw new TarSplitException(what + ": tar-split entry \"" + name.replace("\0", "\\0") + "\" is not a file name: "
                    + e.getReason());
        }
        if (relative.getNameCount() == 0) {
            throw new TarSplitException(what + ": tar-split entry \"" + name + "\" names no file");
        }
        return root.resolve(Path.of("/").relativize(relative).toString());
    }

    @Override
    public void close() throws IOException {
        try {
            if (file != null) {
                file.close();
            }
        } finally {
            lines.close();
        }
    }
}
