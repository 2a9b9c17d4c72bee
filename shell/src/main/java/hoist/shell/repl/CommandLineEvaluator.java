package hoist.shell.repl;

import hoist.dsl.CommandOutput;
import hoist.dsl.Session;
import hoist.dsl.command.HoistCommand;
import hoist.engine.HoistException;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;
import picocli.CommandLine;

import java.util.List;

/** Evaluates a shell line as a command line ({@code push a b --all}), split into words as a shell would. */
final class CommandLineEvaluator implements LineEvaluator {

    private final Session session;
    private final DefaultParser words = new DefaultParser();

    CommandLineEvaluator(Session session) {
        this.session = session;
    }

    @Override
    public Object evaluate(String line) {
        List<String> args = words.parse(line, line.length(), Parser.ParseContext.SPLIT_LINE).words().stream()
                .filter(w -> !w.isEmpty()).toList();
        CommandLine commandLine = new CommandLine(new HoistCommand(session));
        commandLine.setOut(session.out());
        commandLine.setErr(session.err());
        RuntimeException[] failure = new RuntimeException[1];
        Object[] result = new Object[1];
        commandLine.setParameterExceptionHandler((e, a) -> {
            failure[0] = HoistException.usage(e.getMessage());
            return HoistException.USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            failure[0] = e instanceof RuntimeException r ? r : new HoistException(HoistException.describe(e), e);
            return HoistException.FAILED;
        });
        commandLine.setExecutionStrategy(parsed -> {
            int status = new CommandLine.RunLast().execute(parsed);
            List<CommandLine> chain = parsed.asCommandLineList();
            result[0] = chain.get(chain.size() - 1).getExecutionResult();
            return status;
        });
        commandLine.execute(args.toArray(String[]::new));
        if (failure[0] != null) {
            throw failure[0];
        }
        return result[0];
    }

    @Override
    public String display(Object result) {
        return result instanceof CommandOutput output ? output.text() : "";
    }
}
