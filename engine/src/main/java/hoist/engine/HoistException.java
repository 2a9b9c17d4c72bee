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

    /** A usage error: the input could never have worked (bad syntax, unknown option value). */
    public static HoistException usage(String message) {
        return new HoistException(message, null, USAGE);
    }
}
