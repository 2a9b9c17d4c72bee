package hoist.dsl.command;

import hoist.dsl.CommandOutput;
import hoist.engine.HoistException;
import hoist.engine.auth.AuthFile;
import hoist.engine.auth.CredentialLookup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code logout REGISTRY | --all}: remove stored credentials. */
@Command(name = "logout", mixinStandardHelpOptions = true, description = "Remove stored registry credentials.")
public final class LogoutCommand implements Callable<CommandOutput> {

    @ParentCommand
    HoistCommand hoist;

    @Option(names = {"-a", "--all"}, description = "Remove the credentials of every registry.")
    boolean all;

    @Mixin
    AuthFileFlag authFileFlag;

    @Parameters(index = "0", arity = "0..1", paramLabel = "REGISTRY", description = "host[:port]")
    String registry;

    @Override
    public CommandOutput call() throws IOException {
        if (all == (registry != null)) {
            throw HoistException.usage("logout needs either a REGISTRY or --all");
        }
        AuthFile auth = AuthFile.read(CredentialLookup.defaultAuthFile(AuthFile.requireNamed(authFileFlag.authFile)));
        if (all) {
            auth.removeAll();
            auth.write();
            return () -> "Removed login credentials for all registries";
        }
        String host = RegistryNames.host(registry);
        if (!auth.remove(host)) {
            throw new HoistException("not logged into " + host);
        }
        auth.write();
        return () -> "Removed login credentials for " + host;
    }
}
