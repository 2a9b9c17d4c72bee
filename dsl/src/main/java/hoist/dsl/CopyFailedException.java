package hoist.dsl;

import hoist.engine.HoistException;
import hoist.engine.copy.CopyResult;
import hoist.engine.copy.DestinationResult;

import java.util.List;

/**
 * A copy some of whose destinations failed (the others were written). The message has one line
 * per failed destination; {@link #getResult()} says what happened everywhere, so a script can
 * catch this and report or retry just the failed ones.
 */
public final class CopyFailedException extends HoistException {

    private final transient CopyResult result;

    public CopyFailedException(CopyResult result) {
        super(message(result));
        this.result = result;
    }

    public CopyResult getResult() {
        return result;
    }

    /** One line per failed destination; each failure names its destination already. */
    private static String message(CopyResult result) {
        List<DestinationResult> failures = result.failures();
        return String.join("\n", failures.stream().map(DestinationResult::failure).toList());
    }
}
