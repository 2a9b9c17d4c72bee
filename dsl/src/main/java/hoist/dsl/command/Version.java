package hoist.dsl.command;

import hoist.engine.compress.DeflateEngine;
import picocli.CommandLine.IVersionProvider;

/** The version, from the jar manifest when packaged, and the deflate gzip uses. */
public final class Version implements IVersionProvider {

    /** hoist's version: the jar's, or {@code 0.1.0-dev} when run from classes. */
    public static String number() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }

    /** {@code hoist version N [deflate: ENGINE]}: the line of {@code hoist --version}. */
    public static String text() {
        return "hoist version " + number() + " [deflate: " + DeflateEngine.current().description() + "]";
    }

    @Override
    public String[] getVersion() {
        return new String[] {text()};
    }
}
