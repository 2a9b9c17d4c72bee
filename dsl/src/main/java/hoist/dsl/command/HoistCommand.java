package hoist.dsl.command;

import hoist.dsl.Session;
import hoist.dsl.command.manifest.ManifestCommand;
import hoist.dsl.groovy.ScriptHost;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** The top of the command tree: global options, and the commands of the contract. */
@Command(name = "hoist", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Move container images between registries, archives, layouts and the local store.",
        footer = {"", "Without a COMMAND hoist opens its interactive shell; hoist SCRIPT.groovy [ARGS...] runs a script.",
                "hoist help COMMAND shows a command's options."})
public final class HoistCommand implements Callable<Object> {

    /**
     * The commands, in the order help lists them. Not in the annotation: building a command's
     * model is most of a short command's start-up, so a command line builds only its own
     * ({@link hoist.dsl.CommandRunner}).
     */
    public static final List<Class<?>> COMMANDS = List.of(PushCommand.class, PullCommand.class, CopyCommand.class,
            InspectCommand.class, ImagesCommand.class, TagCommand.class, RmiCommand.class, CheckCommand.class,
            LoginCommand.class, LogoutCommand.class, ManifestCommand.class, RunCommand.class, VersionCommand.class,
            CommandLine.HelpCommand.class);

    /** What {@code hoist} without a command asks for: the interactive shell. */
    public enum Interactive { SHELL }

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

    @Option(names = {"-e", "--eval"}, paramLabel = "CODE", description = "Evaluate Groovy DSL code and exit.")
    String code;

    /** Without a command: the code of {@code -e}, or the shell. */
    @Override
    public Object call() {
        return code != null ? new ScriptHost(session).runCode(code, List.of()) : Interactive.SHELL;
    }

    public Session session() {
        return session;
    }
}
