package hoist.engine.archive.tarsplit;

import java.io.IOException;

/**
 * Where {@link TarSplitRecorder} sends what it sees of an archive, in archive order: raw bytes
 * that are not file content (headers, padding, end blocks) as segments, and one file line per
 * entry after its content has been read.
 *
 * @see <a href="https://github.com/vbatts/tar-split/blob/main/tar/storage/entry.go">tar-split entry</a>
 */
public interface TarSplitSink {

    /** Raw archive bytes, written as they are when the archive is rebuilt. */
    void segment(byte[] bytes) throws IOException;

    /**
     * An entry whose content ({@code size} bytes) follows in the archive; {@code checksum} is the
     * 8-byte CRC-64 of that content, or null for entries without content.
     */
    void file(byte[] name, long size, byte[] checksum) throws IOException;
}
