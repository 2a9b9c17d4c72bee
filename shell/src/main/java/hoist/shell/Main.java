package hoist.shell;

import hoist.dsl.CommandOutput;
import hoist.dsl.CommandRunner;
import hoist.dsl.Session;
import hoist.dsl.command.HoistCommand;
import hoist.engine.HoistException;
import hoist.engine.copy.ProgressListener;
import hoist.engine.transport.TransportContext;

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
        Session session = new Session(TransportContext.defaults(), out, err,
                quiet -> quiet ? ProgressListener.NONE : new PlainProgress(err));
        CommandRunner runner = new CommandRunner(session);
        try {
            Object result = runner.run(ScriptArguments.asRunCommand(List.of(args), runner.spec()));
            if (result == HoistCommand.Interactive.SHELL) {
                err.println("The interactive shell is not here yet; run a command: hoist --help");
                return 0;
            }
            if (result instanceof CommandOutput output) {
                printResult(output.text(), out);
                return output.exitStatus();
            }
            return 0;
        } catch (RuntimeException e) {
            return reportFailure(e, session);
        } finally {
            out.flush();
        }
    }

    private static void printResult(String text, PrintWriter out) {
        if (!text.isEmpty()) {
            out.println(text);
        }
    }

    /** One {@code Error:} line per line of the message; the exit status the failure carries. */
    static int reportFailure(RuntimeException failure, Session session) {
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
