package hoist.engine.io;

import hoist.engine.HoistException;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The write failures a user can act on: a full file system ({@code ENOSPC}), a quota reached
 * ({@code EDQUOT}), a read-only file system ({@code EROFS}). The JDK reports them as an
 * {@link IOException} whose message is the C library's text and, for a write to an open file,
 * names no file; this turns one into the {@code Error:} line that says what was being written
 * where, so that a full disk does not read as a damaged source.
 *
 * @see <a href="https://man7.org/linux/man-pages/man2/write.2.html">write(2): ENOSPC, EDQUOT</a>
 */
public final class WriteFailure {

    private static final List<String> REASONS = List.of("No space left on device", "Disk quota exceeded",
            "Read-only file system");

    private WriteFailure() {
    }

    /**
     * {@code failure} (or an exception it was caused by) explained as one line,
     * {@code "no space left on device writing WHAT"}; empty when it is not one of the failures
     * above (the caller rethrows it as it is).
     *
     * @param what what was being written and where, e.g. {@code "blob sha256:... to the local store /srv/store"}
     */
    public static Optional<HoistException> explain(IOException failure, String what) {
        return reason(failure).map(reason -> new HoistException(reason + " writing " + what, failure));
    }

    /** The failure's reason in lower case ({@code "no space left on device"}), when it is one listed above. */
    public static Optional<String> reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String text = t instanceof FileSystemException f && f.getReason() != null ? f.getReason() : t.getMessage();
            if (text == null) {
                continue;
            }
            for (String reason : REASONS) {
                if (text.contains(reason)) {
                    return Optional.of(reason.toLowerCase(Locale.ROOT));
                }
            }
        }
        return Optional.empty();
    }
}
