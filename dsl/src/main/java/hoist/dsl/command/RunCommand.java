package hoist.dsl.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code run SCRIPT.groovy [ARGS...]}: a batch script; what follows its name is its {@code args}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a Groovy batch script; ARGS become its args. Also: hoist SCRIPT.groovy ARGS...")
public final class RunCommand implements Callable<Object> {

    @ParentCommand
    HoistCommand hoist;

    @Parameters(index = "0", paramLabel = "SCRIPT", description = "The .groovy file to run.")
    Path script;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "ARGS", description = "The script's arguments.")
    List<String> args = new ArrayList<>();

    @Override
    public Object call() {
        return hoist.session().scripts().runFile(script, args);
    }
}
