package hoist.engine.transport;

import hoist.engine.HoistException;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The file-system path inside a reference ({@code oci:PATH}, {@code dir:PATH},
 * {@code docker-archive:PATH}, a {@code containers-storage:} store root): text the file system
 * cannot name (a NUL character) is a usage error quoting the reference, like any other bad
 * reference syntax.
 */
public final class ReferencePaths {

    private ReferencePaths() {
    }

    /**
     * {@code path} as a Path, not resolved against the working directory.
     *
     * @param path      the path as the reference spells it, not empty
     * @param reference the whole reference, quoted in the error
     * @throws HoistException a usage error when no file can have that name
     */
    public static Path of(String path, String reference) {
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw HoistException.usage("invalid reference \"" + reference + "\": " + e.getReason() + " in the path");
        }
    }

    /** {@link #of} made absolute against the working directory and normalized. */
    public static Path absolute(String path, String reference) {
        return of(path, reference).toAbsolutePath().normalize();
    }
}
