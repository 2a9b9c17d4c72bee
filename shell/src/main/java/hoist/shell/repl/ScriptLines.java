package hoist.shell.repl;

import hoist.dsl.Results;
import hoist.dsl.groovy.ScriptHost;

/** Shell lines evaluated by the script host: command lines, or Groovy with variables kept from line to line. */
final class ScriptLines implements LineEvaluator {

    private final ScriptHost host;

    ScriptLines(ScriptHost host) {
        this.host = host;
    }

    @Override
    public Object evaluate(String line) {
        return host.evaluateLine(line);
    }

    @Override
    public String display(Object result) {
        return Results.text(result);
    }
}
