package hoist.engine;

/**
 * The one user-facing failure: its message is the {@code Error:} line a user reads, so it names
 * the reference, file or field at fault and, where possible, what to do about it.
 */
public class HoistException extends RuntimeException {

    /** Exit status for a command that failed. */
    public static final int FAILED = 1;
    /** Exit status for a usage error: unknown flag, bad reference syntax. */
    public static final int USAGE = 2;

    private final int exitStatus;

    public HoistException(String message) {
        this(message, null, FAILED);
    }

    public HoistException(String message, Throwable cause) {
        this(message, cause, FAILED);
    }

    protected HoistException(String message, Throwable cause, int exitStatus) {
        super(message, cause);
        this.exitStatus = exitStatus;
    }

    public int exitStatus() {
        return exitStatus;
    }

    /**
     * The line a user reads for any failure: a HoistException's own message; for file-system
     * errors the file and what went wrong; otherwise the exception's message.
     */
    public static String describe(Throwable failure) {
        if (failure instanceof HoistException) {
            return failure.getMessage();
        }
        if (failure instanceof java.nio.file.NoSuchFileException e) {
            return e.getFile() + ": no such file or directory";
        }
        if (failure instanceof java.nio.file.AccessDeniedException e) {
            return e.getFile() + ": permission denied";
        }
        if (failure instanceof java.nio.file.FileAlreadyExistsException e) {
            return e.getFile() + ": already exists";
        }
        if (failure instanceof java.nio.file.FileSystemException e && e.getReason() != null) {
            return e.getFile() + ": " + e.getReason();
        }
        return failure.getMessage() != null ? failure.getMessage() : failure.toString();
    }

    /** A usage error: the input could never have worked (bad syntax, unknown option value). */
    public static HoistException usage(String message) {
        return new HoistException(message, null, USAGE);
    }
}
