package hoist.dsl.groovy;

import hoist.engine.HoistException;

/** A script's own {@code exit(status)}: ends it with that status and no error line. */
public final class ScriptExit extends HoistException {

    public ScriptExit(int status) {
        super("", null, status);
    }
}
