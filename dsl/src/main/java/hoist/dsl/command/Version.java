package hoist.dsl.command;

import picocli.CommandLine.IVersionProvider;

/** The version, from the jar manifest when packaged. */
public final class Version implements IVersionProvider {

    public static String text() {
        String v = Version.class.getPackage().getImplementationVersion();
        return "hoist version " + (v == null ? "0.1.0-dev" : v);
    }

    @Override
    public String[] getVersion() {
        return new String[] {text()};
    }
}
