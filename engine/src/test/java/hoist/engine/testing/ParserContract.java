package hoist.engine.testing;

import hoist.engine.HoistException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The contract every parser of untrusted input keeps, checked by the fuzz tests: for any bytes it
 * either returns a value or fails with the project's documented failure — a {@link HoistException},
 * or the checked exception the parser declares — whose message is the one line a user reads, so it
 * must say something. Anything else (a NullPointerException, an index out of bounds, a
 * ClassCastException, a StackOverflowError, an OutOfMemoryError, any other unchecked exception)
 * escapes to the fuzzer as a finding.
 */
public final class ParserContract {

    /** The parser under test: any code that reads the input. */
    @FunctionalInterface
    public interface Parse {
        void run() throws Exception;
    }

    private ParserContract() {
    }

    /**
     * Runs {@code parse}; returns normally when it returns or fails as documented, rethrows
     * everything else.
     *
     * @param declared checked exceptions the parser declares (its IOException for file readers),
     *                 accepted like a HoistException; none for parsers that only throw HoistException
     * @throws AssertionError when a documented failure carries no message
     */
    @SafeVarargs
    public static void check(Parse parse, Class<? extends Exception>... declared) throws Exception {
        try {
            parse.run();
        } catch (HoistException e) {
            requireMessage(e);
        } catch (Exception e) {
            for (Class<? extends Exception> type : declared) {
                if (type.isInstance(e)) {
                    requireMessage(e);
                    return;
                }
            }
            throw e;
        }
    }

    private static void requireMessage(Exception e) {
        String line = HoistException.describe(e);
        if (line == null || line.isBlank() || line.equals("null")) {
            throw new AssertionError("a failure with no message for the user: " + e, e);
        }
    }

    /** A directory for one test class's scratch files, removed when the JVM exits. */
    public static Path scratchDirectory(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes {@code dir} and everything under it; what cannot be removed stays. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // scratch space: the next run starts from a fresh directory
        }
    }
}
