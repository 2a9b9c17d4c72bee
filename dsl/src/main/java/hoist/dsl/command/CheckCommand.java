package hoist.dsl.command;

import hoist.dsl.CommandOutput;
import hoist.engine.HoistException;
import hoist.engine.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code check}: verify every blob and image of the local store. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Verify the local store.")
public final class CheckCommand implements Callable<CheckCommand.Checked> {

    /** The store is sound. */
    public record Checked(int images) implements CommandOutput {
        @Override
        public String text() {
            return "";
        }
    }

    @ParentCommand
    HoistCommand hoist;

    @Override
    public Checked call() throws IOException {
        LocalStore store = LocalStore.open(hoist.session().context().storeRoot());
        List<String> problems = store.check();
        if (!problems.isEmpty()) {
            throw new HoistException(String.join("\n", problems));
        }
        return new Checked(store.images().size());
    }
}
