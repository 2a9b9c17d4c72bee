package hoist.shell.console;

import hoist.dsl.Session;
import hoist.engine.HoistException;

import java.io.UncheckedIOException;

/**
 * How a failure reaches the user, on the command line and in the shell alike: one
 * {@code Error:} line per line of its message (none for a script's own {@code exit(n)}), a stack
 * trace only with {@code --debug}, and the exit status it carries.
 */
public final class FailureReport {

    private FailureReport() {
    }

    public static int report(Throwable failure, Session session) {
        Throwable cause = failure instanceof UncheckedIOException u ? u.getCause() : failure;
        String message = HoistException.describe(cause);
        if (!message.isEmpty()) {
            for (String line : message.split("\n")) {
                session.err().println("Error: " + line);
            }
        }
        if (session.debug()) {
            failure.printStackTrace(session.err());
        }
        session.err().flush();
        return cause instanceof HoistException h ? h.exitStatus() : HoistException.FAILED;
    }
}
