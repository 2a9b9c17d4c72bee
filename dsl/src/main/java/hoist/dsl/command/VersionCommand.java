package hoist.dsl.command;

import hoist.dsl.CommandOutput;
import hoist.engine.compress.DeflateEngine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code version}: hoist's version, the Java runtime, and the deflate gzip uses. */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Show the versions of hoist, Java and the native libraries in use.")
public final class VersionCommand implements Callable<VersionCommand.Versions> {

    /**
     * @param hoist   hoist's version, e.g. {@code 0.1.0}
     * @param java    the runtime's version and vendor
     * @param deflate what compresses and decompresses gzip, e.g. {@code ISA-L 2.30 (native)}
     */
    public record Versions(String hoist, String java, String deflate) implements CommandOutput {
        @Override
        public String text() {
            return "hoist version " + hoist + "\nJava: " + java + "\ndeflate: " + deflate;
        }
    }

    @Override
    public Versions call() {
        return new Versions(Version.number(), System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                DeflateEngine.current().description());
    }
}
