package hoist.dsl.command;

import hoist.dsl.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The top of the command tree: global options, and the commands of the contract. */
@Command(name = "hoist", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Move container images between registries, archives, layouts and the local store.",
        subcommands = {PushCommand.class, PullCommand.class, CopyCommand.class, InspectCommand.class,
                ImagesCommand.class, TagCommand.class, RmiCommand.class, CheckCommand.class, LoginCommand.class,
                LogoutCommand.class, hoist.dsl.command.manifest.ManifestCommand.class
})
public final class HoistCommand {

    private final Session session;

    public HoistCommand(Session session) {
        this.session = session;
    }

    @Option(names = "--root", paramLabel = "DIR", description = "Local store directory (env HOIST_ROOT).")
    void root(Path root) {
        session.context(session.context().withStoreRoot(root));
    }

    @Option(names = "--registries-conf", paramLabel = "FILE",
            description = "registries.conf to use (env CONTAINERS_REGISTRIES_CONF).")
    void registriesConf(Path file) {
        session.context(session.context().withRegistry(session.context().registry().withRegistriesConf(file)));
    }

    @Option(names = "--debug", description = "Show stack traces and internal detail on errors.")
    void debug(boolean value) {
        session.debug(value);
    }

    public Session session() {
        return session;
    }
}
