package hoist.shell;

import hoist.dsl.CommandOutput;
import hoist.dsl.Session;
import hoist.dsl.command.HoistCommand;
import hoist.engine.HoistException;
import hoist.engine.copy.ProgressListener;
import hoist.engine.transport.TransportContext;
import hoist.shell.repl.InteractiveShell;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
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
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int status = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Runs {@code args} as a command line; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length == 0) {
            return InteractiveShell.runOnSystemTerminal(err, InteractiveShell::commandLines);
        }
        Session session = new Session(TransportContext.defaults(), out, err, quiet -> progress(quiet, err));
        CommandLine commandLine = commandLine(session);
        return commandLine.execute(args);
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

    static CommandLine commandLine(Session session) {
        CommandLine commandLine = new CommandLine(new HoistCommand(session));
        commandLine.setOut(session.out());
        commandLine.setErr(session.err());
        commandLine.setExecutionStrategy(parsed -> {
            int status = new CommandLine.RunLast().execute(parsed);
            printResult(parsed, session.out());
            return status;
        });
        commandLine.setParameterExceptionHandler((e, args) -> {
            session.err().println("Error: " + usageMessage(e));
            return HoistException.USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> reportFailure(e, session));
        return commandLine;
    }

    private static void printResult(CommandLine.ParseResult parsed, PrintWriter out) {
        List<CommandLine> chain = parsed.asCommandLineList();
        Object result = chain.get(chain.size() - 1).getExecutionResult();
        if (result instanceof CommandOutput output) {
            String text = output.text();
            if (!text.isEmpty()) {
                out.println(text);
            }
        }
        out.flush();
    }

    private static String usageMessage(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            String first = unmatched.getUnmatched().isEmpty() ? "" : unmatched.getUnmatched().get(0);
            boolean command = unmatched.getCommandLine().getParent() == null && !first.startsWith("-");
            String where = unmatched.getCommandLine().getCommandName();
            String message = command ? "unknown command \"" + first + "\""
                    : first.startsWith("-") ? "unknown option \"" + first + "\" for " + where
                    : "unexpected argument \"" + first + "\" for " + where;
            List<String> suggestions = unmatched.getSuggestions();
            return suggestions.isEmpty() ? message : message + "; did you mean " + String.join(" or ", suggestions) + "?";
        }
        return e.getMessage();
    }

    /** One {@code Error:} line per line of the message; the exit status the failure carries. */
    static int reportFailure(Exception failure, Session session) {
        Throwable cause = failure instanceof UncheckedIOException u ? u.getCause() : failure;
        for (String line : HoistException.describe(cause).split("\n")) {
            session.err().println("Error: " + line);
        }
        if (session.debug()) {
            failure.printStackTrace(session.err());
        }
        session.err().flush();
        return cause instanceof HoistException h ? h.exitStatus() : HoistException.FAILED;
    }
}
