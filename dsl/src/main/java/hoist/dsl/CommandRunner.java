package hoist.dsl;

import hoist.dsl.command.HoistCommand;
import hoist.engine.HoistException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * Runs one command of the command model from its words, as typed after {@code hoist}. The command
 * line, the shell and the Groovy DSL all come through here, so a command behaves the same
 * whichever way it is reached: it returns its result object, or throws a {@link HoistException}
 * (exit status 2 for usage errors).
 */
public final class CommandRunner {

    private final Session session;
    private CommandSpec spec;
    /** The tree built for {@link #spec()} while no run has used it: the next run takes it. */
    private CommandLine unused;

    public CommandRunner(Session session) {
        this.session = session;
    }

    /**
     * Parses and runs {@code words}; returns what the command returned, or null when it only
     * printed help or its version.
     */
    public Object run(List<String> words) {
        CommandLine commandLine = takeUnusedOrBuild();
        ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(words.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw HoistException.usage(UsageErrors.message(e));
        }
        if (CommandLine.printHelpIfRequested(parsed)) {
            return null;
        }
        List<CommandLine> chain = parsed.asCommandLineList();
        return call(chain.get(chain.size() - 1));
    }

    /** A fresh command tree bound to this session: options never leak from one run to the next. */
    public CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new HoistCommand(session));
        commandLine.setOut(session.out());
        commandLine.setErr(session.err());
        // a script's own arguments follow its name, options included
        commandLine.getSubcommands().get("run").setStopAtPositional(true);
        return commandLine;
    }

    /** The command tree's model: names, options and help, for completion and suggestions. */
    public synchronized CommandSpec spec() {
        if (spec == null) {
            unused = commandLine();
            spec = unused.getCommandSpec();
        }
        return spec;
    }

    /** Building the tree is much of a short command's start-up: the one spec() built serves one run. */
    private synchronized CommandLine takeUnusedOrBuild() {
        CommandLine commandLine = unused != null ? unused : commandLine();
        unused = null;
        return commandLine;
    }

    public Session session() {
        return session;
    }

    private static Object call(CommandLine command) {
        Object user = command.getCommand();
        try {
            if (user instanceof Callable<?> callable) {
                return callable.call();
            }
            if (user instanceof Runnable runnable) {
                runnable.run();
                return null;
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new HoistException(HoistException.describe(e), e);
        }
        throw HoistException.usage(command.getCommandName() + " needs a subcommand: "
                + String.join(", ", command.getSubcommands().keySet()));
    }
}
