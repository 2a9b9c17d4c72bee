package hoist.dsl.command;

import hoist.dsl.CommandOutput;
import hoist.engine.HoistException;
import hoist.engine.auth.AuthFile;
import hoist.engine.auth.CredentialLookup;
import hoist.engine.auth.Credentials;
import hoist.engine.transport.RegistryOptions;
import hoist.engine.transport.registry.RegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code login REGISTRY}: verify credentials against the registry, then store them (mode 0600). */
@Command(name = "login", mixinStandardHelpOptions = true, description = "Log in to a registry and store the credentials.")
public final class LoginCommand implements Callable<LoginCommand.LoggedIn> {

    /** Where the credentials were stored. */
    public record LoggedIn(String registry, Path authFile) implements CommandOutput {
        @Override
        public String text() {
            return "Login Succeeded!";
        }
    }

    @ParentCommand
    HoistCommand hoist;

    @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "User name.")
    String username;

    @Option(names = {"-p", "--password"}, paramLabel = "PASS", description = "Password (prefer --password-stdin).")
    String password;

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean passwordStdin;

    @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from FILE (for scripts).")
    Path passwordFile;

    @Mixin
    AuthFileFlag auth;

    @Mixin
    TlsFlags tls;

    @Parameters(index = "0", paramLabel = "REGISTRY", description = "host[:port]")
    String registry;

    @Override
    public LoggedIn call() throws IOException {
        if ((password != null ? 1 : 0) + (passwordStdin ? 1 : 0) + (passwordFile != null ? 1 : 0) > 1) {
            throw HoistException.usage("use only one of --password, --password-stdin and --password-file");
        }
        String host = RegistryNames.host(registry);
        Credentials credentials = CredentialPrompt.complete(new Credentials(username, givenPassword()));
        RegistryOptions options = tls.apply(hoist.session().context().registry()).withCredentials(credentials);
        RegistryClient.verifyLogin(host, options);
        Path file = CredentialLookup.defaultAuthFile(auth.authFile);
        AuthFile auth = AuthFile.read(file);
        auth.put(host, credentials);
        auth.write();
        return new LoggedIn(host, file);
    }

    private String givenPassword() throws IOException {
        if (passwordStdin) {
            return readStdin();
        }
        return passwordFile != null ? Files.readString(passwordFile, StandardCharsets.UTF_8).strip() : password;
    }

    private static String readStdin() throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = reader.readLine();
        if (line == null || line.isEmpty()) {
            throw HoistException.usage("--password-stdin: no password on standard input");
        }
        return line.strip();
    }
}
