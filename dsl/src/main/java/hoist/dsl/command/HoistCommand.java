package hoist.dsl.command;

import hoist.dsl.Session;
import hoist.engine.config.HoistConf;
import hoist.engine.image.Platform;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The top of the command tree: the global options. The commands under it are listed by the runner
 * ({@link hoist.dsl.runner.CommandRunner#COMMANDS}), which builds only the one a command line names.
 */
@Command(name = "hoist", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Move container images between registries, archives, layouts and the local store.",
        footer = {"", "Without a COMMAND hoist opens its interactive shell; hoist SCRIPT.groovy [ARGS...] runs a script.",
                "hoist help COMMAND shows a command's options."})
public final class HoistCommand implements Callable<Object> {

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

    private String overrideOs;
    private String overrideArch;
    private String overrideVariant;

    @Option(names = "--override-os", paramLabel = "OS", description = "Choose images of lists for OS instead of this machine's.")
    void overrideOs(String value) {
        overrideOs = value;
        overridePlatform();
    }

    @Option(names = "--override-arch", paramLabel = "ARCH",
            description = "Choose images of lists for ARCH instead of this machine's.")
    void overrideArch(String value) {
        overrideArch = value;
        overridePlatform();
    }

    @Option(names = "--override-variant", paramLabel = "VARIANT",
            description = "Choose images of lists for this architecture VARIANT.")
    void overrideVariant(String value) {
        overrideVariant = value;
        overridePlatform();
    }

    /** This machine's platform with what the overrides say; another architecture drops this machine's variant. */
    private void overridePlatform() {
        Platform here = Platform.current();
        String arch = overrideArch != null ? overrideArch : here.architecture();
        String variant = overrideVariant != null ? overrideVariant : overrideArch != null ? null : here.variant();
        session.context(session.context().withPlatform(
                new Platform(overrideOs != null ? overrideOs : here.os(), arch, variant)));
    }

    @Option(names = "--storage", paramLabel = "local|containers-storage",
            description = "Which store a bare image name means: hoist's own (local, the default) or podman's and buildah's "
                    + "(containers-storage). Env HOIST_STORAGE; storage in hoist.conf.")
    void storage(String value) {
        try {
            session.storage(HoistConf.checkStorage(value, "--storage"));
        } catch (hoist.engine.HoistException e) {
            // picocli reports its own exception as a usage error; any other would read as a failed call
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--debug", description = "Show stack traces and internal detail on errors.")
    void debug(boolean value) {
        session.debug(value);
    }

    @Option(names = {"-e", "--eval"}, paramLabel = "CODE", description = "Evaluate Groovy DSL code and exit.")
    String code;

    /** Without a command: the code of {@code -e}, or the shell. */
    @Override
    public Object call() {
        return code != null ? session.scripts().runCode(code, List.of()) : Interactive.SHELL;
    }

    public Session session() {
        return session;
    }
}
