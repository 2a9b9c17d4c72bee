package hoist.dsl.command;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --authfile}: declared once for login, logout and every command that reaches a registry. */
public final class AuthFileFlag {

    @Option(names = "--authfile", paramLabel = "FILE", description = "Auth file (env REGISTRY_AUTH_FILE).")
    Path authFile;
}
