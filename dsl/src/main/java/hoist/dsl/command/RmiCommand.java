package hoist.dsl.command;

import hoist.dsl.CommandOutput;
import hoist.engine.HoistException;
import hoist.engine.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code rmi IMAGE...}: remove names or images from the local store. */
@Command(name = "rmi", mixinStandardHelpOptions = true, description = "Remove images (or names) from the local store.")
public final class RmiCommand implements Callable<RmiCommand.Removed> {

    /** What was untagged and deleted, one line each. */
    public record Removed(List<String> lines) implements CommandOutput {
        @Override
        public String text() {
            return String.join("\n", lines);
        }
    }

    @ParentCommand
    HoistCommand hoist;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Name, ID or ID prefix.")
    List<String> images;

    @Override
    public Removed call() throws IOException {
        LocalStore store = LocalStore.open(hoist.session().context().storeRoot());
        List<String> lines = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String image : images) {
            try {
                lines.addAll(store.remove(image));
            } catch (HoistException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            lines.forEach(hoist.session().out()::println);
            throw new HoistException(String.join("\n", failures));
        }
        return new Removed(lines);
    }
}
