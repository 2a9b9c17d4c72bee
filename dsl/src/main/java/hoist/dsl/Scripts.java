package hoist.dsl;

import java.nio.file.Path;
import java.util.List;

/**
 * What runs Groovy for the commands that run scripts ({@code run SCRIPT}, {@code hoist -e CODE}).
 * The Groovy binding implements it and the program that builds the {@link Session} plugs it in, so
 * the command model does not depend on the binding that depends on it.
 */
public interface Scripts {

    /**
     * Runs the script {@code file} with {@code args} as its {@code args} variable; returns the
     * script's value (null for none). Throws a {@link hoist.engine.HoistException} naming the
     * script and line when it fails.
     */
    Object runFile(Path file, List<String> args);

    /** Runs {@code code} given on the command line, as {@link #runFile} runs a file. */
    Object runCode(String code, List<String> args);
}
