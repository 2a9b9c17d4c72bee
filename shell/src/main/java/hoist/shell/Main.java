package hoist.shell;

import hoist.dsl.CommandOutput;
import hoist.dsl.runner.CommandRunner;
import hoist.dsl.Session;
import hoist.dsl.groovy.ScriptHost;
import hoist.dsl.command.HoistCommand;
import hoist.dsl.command.Version;
import hoist.engine.HoistException;
import hoist.engine.config.HoistConf;
import hoist.engine.copy.ProgressListener;
import hoist.engine.transport.TransportContext;
import hoist.shell.console.CommandThread;
import hoist.shell.console.FailureReport;
import hoist.shell.console.PlainProgress;
import hoist.shell.console.TerminalProgress;
import hoist.shell.repl.InteractiveShell;

import java.io.PrintWriter;
import java.util.List;

/**
 * The entry point: runs one command from the command line and exits with the contract's status
 * (0 success, 1 failure, 2 usage). Errors are one {@code Error:} line each; stack traces only
 * with {@code --debug}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--version")) {
            // the most common probe of a tool, answered without building the command model (a
            // third of the JVM's start): the same line picocli prints from the same provider
            System.out.println(Version.text());
            System.exit(0);
        }
        // picocli looks for Groovy closures in annotations (we use none) whenever Groovy is on the
        // class path, and that starts Groovy's runtime: a tenth of a second on every command line
        System.setProperty("picocli.disable.closures", "true");
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int status = runCancellable(args, out, err);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Runs {@code args} as a command line; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Session session = session(out, err);
        CommandRunner runner = new CommandRunner(session);
        Object result;
        try {
            result = runWithSettings(session, runner, args);
        } catch (RuntimeException e) {
            out.flush();
            return FailureReport.report(e, session);
        }
        return finish(result, session, out, err);
    }

    /**
     * Runs {@code args} as {@link #run} does, on a {@link CommandThread} that SIGINT and SIGTERM
     * cancel: the JVM's shutdown waits (a bounded time) until the command has stopped and removed
     * what it staged, so an interrupted copy leaves nothing at its destination. The shell, when
     * asked for, runs on the calling thread and cancels its own commands.
     */
    static int runCancellable(String[] args, PrintWriter out, PrintWriter err) {
        Session session = session(out, err);
        CommandRunner runner = new CommandRunner(session);
        CommandThread command = CommandThread.start(() -> runWithSettings(session, runner, args));
        Thread onExit = new Thread(() -> command.cancelAndWait(CommandThread.SHUTDOWN_GRACE), "hoist-exit");
        Runtime.getRuntime().addShutdownHook(onExit);
        CommandThread.Outcome outcome;
        try {
            outcome = command.await();
        } catch (InterruptedException e) {
            command.cancelAndWait(CommandThread.SHUTDOWN_GRACE);
            Thread.currentThread().interrupt();
            return HoistException.FAILED;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException shuttingDown) {
            // a signal came: the hook has waited for the command, the JVM exits with the signal's status
        }
        if (outcome.failure() != null) {
            out.flush();
            return FailureReport.report(outcome.failure(), session);
        }
        return finish(outcome.result(), session, out, err);
    }

    private static Session session(PrintWriter out, PrintWriter err) {
        Session session = new Session(TransportContext.defaults(), out, err, quiet -> progress(quiet, err));
        session.scripts(() -> new ScriptHost(session)); // Groovy is loaded only when a script runs
        return session;
    }

    /**
     * Runs the command line {@code args} after the settings of hoist.conf and {@code HOIST_STORAGE}
     * are applied to {@code session}, so that the global options, parsed with the command, override them.
     */
    private static Object runWithSettings(Session session, CommandRunner runner, String[] args) {
        HoistConf conf = HoistConf.load();
        if (conf.root() != null && System.getenv("HOIST_ROOT") == null) {
            session.context(session.context().withStoreRoot(conf.root()));
        }
        session.storage(conf.defaultStorage());
        return runner.run(ScriptArguments.asRunCommand(List.of(args), runner));
    }

    /** Shows what the command returned (or opens the shell it asked for); returns the exit status. */
    private static int finish(Object result, Session session, PrintWriter out, PrintWriter err) {
        try {
            if (result == HoistCommand.Interactive.SHELL) {
                return InteractiveShell.runOnSystemTerminal(session, err);
            }
            if (result instanceof CommandOutput output) {
                printResult(output, out);
                return output.exitStatus();
            }
            return 0;
        } catch (RuntimeException e) {
            return FailureReport.report(e, session);
        } finally {
            out.flush();
        }
    }

    /** Bars when a person watches a terminal, plain lines for logs and pipes, nothing when asked to be quiet. */
    private static ProgressListener progress(boolean quiet, PrintWriter err) {
        if (quiet) {
            return ProgressListener.NONE;
        }
        return System.console() != null ? new TerminalProgress(err, Main::terminalColumns) : new PlainProgress(err);
    }

    private static int terminalColumns() {
        String columns = System.getenv("COLUMNS");
        try {
            return columns == null ? 80 : Integer.parseInt(columns.strip());
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    private static void printResult(CommandOutput output, PrintWriter out) {
        String text = output.text();
        if (text.isEmpty()) {
            return;
        }
        if (output.endsLine()) {
            out.println(text);
        } else {
            out.print(text);
        }
    }
}
