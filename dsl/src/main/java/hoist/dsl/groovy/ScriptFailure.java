package hoist.dsl.groovy;

import groovy.lang.MissingMethodException;
import hoist.engine.HoistException;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.runtime.InvokerInvocationException;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * A script that failed, as its user reads it: {@code deploy.groovy:12: image "x" not found}.
 * The line is the script's own (where the failing call was made), not one of hoist's.
 */
public final class ScriptFailure extends HoistException {

    private final String reason;

    private ScriptFailure(String where, String reason, Throwable cause) {
        super(where == null ? reason : where + ": " + reason, cause);
        this.reason = reason;
    }

    /** What went wrong, without where. */
    public String reason() {
        return reason;
    }

    static ScriptFailure of(Throwable failure, String source) {
        if (failure instanceof ScriptFailure nested) {
            return nested;
        }
        if (failure instanceof MultipleCompilationErrorsException compilation) {
            return syntax(compilation, source);
        }
        Throwable cause = unwrap(failure);
        int line = scriptLine(failure, source);
        return new ScriptFailure(line > 0 ? source + ":" + line : source, reason(cause), failure);
    }

    private static ScriptFailure syntax(MultipleCompilationErrorsException compilation, String source) {
        Message first = compilation.getErrorCollector().getError(0);
        if (first instanceof SyntaxErrorMessage message) {
            SyntaxException syntax = message.getCause();
            return new ScriptFailure(source + ":" + syntax.getLine() + ":" + syntax.getStartColumn(),
                    oneLine(syntax.getOriginalMessage()), compilation);
        }
        return new ScriptFailure(source, oneLine(compilation.getMessage()), compilation);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof InvokerInvocationException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String reason(Throwable cause) {
        if (cause instanceof MissingMethodException missing && !(cause instanceof HoistException)) {
            return "no method " + missing.getMethod() + " for " + missing.getType().getSimpleName()
                    + " with these arguments";
        }
        if (cause instanceof StackOverflowError) {
            return "stack overflow (endless recursion?)";
        }
        return oneLine(HoistException.describe(cause));
    }

    /** The innermost line of the script among the frames of the failure and its causes. */
    private static int scriptLine(Throwable failure, String source) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (source.equals(frame.getFileName()) && frame.getLineNumber() > 0) {
                    return frame.getLineNumber();
                }
            }
        }
        return -1;
    }

    private static String oneLine(String text) {
        return text == null ? "" : String.join("; ", text.strip().lines().map(String::strip).toList());
    }
}
