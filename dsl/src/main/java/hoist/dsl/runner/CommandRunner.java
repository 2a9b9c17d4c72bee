package hoist.dsl.runner;

import hoist.dsl.Session;
import hoist.dsl.command.CheckCommand;
import hoist.dsl.command.CompletionCommand;
import hoist.dsl.command.CopyCommand;
import hoist.dsl.command.DeleteCommand;
import hoist.dsl.command.HoistCommand;
import hoist.dsl.command.ImagesCommand;
import hoist.dsl.command.InspectCommand;
import hoist.dsl.command.InstallCommand;
import hoist.dsl.command.ListTagsCommand;
import hoist.dsl.command.LoginCommand;
import hoist.dsl.command.LogoutCommand;
import hoist.dsl.command.ManifestDigestCommand;
import hoist.dsl.command.PullCommand;
import hoist.dsl.command.PushCommand;
import hoist.dsl.command.RmiCommand;
import hoist.dsl.command.RunCommand;
import hoist.dsl.command.StandaloneSignCommand;
import hoist.dsl.command.StandaloneVerifyCommand;
import hoist.dsl.command.TagCommand;
import hoist.dsl.command.VersionCommand;
import hoist.dsl.command.manifest.ManifestCommand;
import hoist.engine.HoistException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Runs one command of the command model from its words, as typed after {@code hoist}. The command
 * line, the shell and the Groovy DSL all come through here, so a command behaves the same
 * whichever way it is reached: it returns its result object, or throws a {@link HoistException}
 * (exit status 2 for usage errors).
 */
public final class CommandRunner {

    /**
     * The commands, in the order help lists them. Not in {@link HoistCommand}'s annotation:
     * building a command's model is most of a short command's start-up, so a command line builds
     * only its own. A new command is a class in {@link hoist.dsl.command} added here.
     */
    public static final List<Class<?>> COMMANDS = List.of(PushCommand.class, PullCommand.class, CopyCommand.class,
            InspectCommand.class, ImagesCommand.class, TagCommand.class, RmiCommand.class, CheckCommand.class,
            LoginCommand.class, LogoutCommand.class, ManifestCommand.class, ManifestDigestCommand.class, StandaloneSignCommand.class,
            StandaloneVerifyCommand.class, ListTagsCommand.class,
            DeleteCommand.class, VersionCommand.class, RunCommand.class, InstallCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class);

    private static final Set<String> COMMAND_NAMES = Collections.unmodifiableSet(COMMANDS.stream()
            .flatMap(c -> names(c).stream()).collect(Collectors.<String, Set<String>>toCollection(LinkedHashSet::new)));

    private final Session session;
    private CommandSpec spec;

    public CommandRunner(Session session) {
        this.session = session;
    }

    /**
     * Parses and runs {@code words}; returns what the command returned, or null when it only
     * printed help or its version.
     */
    public Object run(List<String> words) {
        CommandLine commandLine = commandLineFor(words);
        ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(words.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw HoistException.usage(UsageErrors.message(e, words));
        }
        if (CommandLine.printHelpIfRequested(parsed)) {
            return null;
        }
        List<CommandLine> chain = parsed.asCommandLineList();
        return call(chain.get(chain.size() - 1));
    }

    /** A fresh tree of every command bound to this session: options never leak from one run to the next. */
    public CommandLine commandLine() {
        return build(COMMANDS);
    }

    /**
     * The tree a command line needs: the root and the one command it names. Without a known
     * command (help, a typo to suggest against, none at all) every command is there.
     */
    private CommandLine commandLineFor(List<String> words) {
        int at = commandIndex(words);
        String name = at < words.size() ? words.get(at) : "";
        if (at >= words.size() && (words.contains("--version") || words.contains("-V"))) {
            return build(List.of()); // the version needs no command's model
        }
        List<Class<?>> named = COMMANDS.stream()
                .filter(c -> !c.equals(CommandLine.HelpCommand.class) && names(c).contains(name)).toList();
        // the completion script covers every command
        return build(named.isEmpty() || named.contains(CompletionCommand.class) ? COMMANDS : named);
    }

    private CommandLine build(List<Class<?>> commands) {
        CommandLine root = new CommandLine(new HoistCommand(session));
        for (Class<?> command : commands) {
            root.addSubcommand(command);
        }
        root.setOut(session.out()); // after the subcommands: it is handed down to those there
        root.setErr(session.err());
        CommandLine run = root.getSubcommands().get("run");
        if (run != null) {
            run.setStopAtPositional(true); // a script's own arguments follow its name, options included
        }
        return root;
    }

    /** The place of the command's name in {@code words}: after the global options and their values. */
    public int commandIndex(List<String> words) {
        CommandSpec root = new CommandLine(new HoistCommand(session)).getCommandSpec();
        int i = 0;
        while (i < words.size() && words.get(i).startsWith("-")) {
            picocli.CommandLine.Model.OptionSpec option = root.findOption(words.get(i).split("=", 2)[0]);
            boolean takesValue = option != null && option.arity().max() > 0 && !words.get(i).contains("=");
            i += takesValue ? 2 : 1;
        }
        return i;
    }

    /** Every command's name and aliases, read from the annotations: no model is built for them. */
    public static Set<String> commandNames() {
        return COMMAND_NAMES;
    }

    private static List<String> names(Class<?> command) {
        Command declared = command.getAnnotation(Command.class);
        List<String> names = new ArrayList<>(List.of(declared.name()));
        names.addAll(List.of(declared.aliases()));
        return names;
    }

    /** The command tree's model: names, options and help, for completion and suggestions. */
    public synchronized CommandSpec spec() {
        if (spec == null) {
            spec = commandLine().getCommandSpec();
        }
        return spec;
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
