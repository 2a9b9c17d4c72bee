/**
 * The tar-split format: a tar archive described as JSON lines of raw segments (headers, padding,
 * the end of the archive) and file entries (name, size, CRC-64 of the content), so that the
 * exact archive can be rebuilt from those lines plus the files extracted from it. Reading the
 * lines, rebuilding the archive from a directory as a stream, and recording the lines while an
 * archive is being extracted; nothing here knows where the lines or the files are kept.
 *
 * @see <a href="https://github.com/vbatts/tar-split">tar-split</a>
 */
package hoist.engine.archive.tarsplit;
