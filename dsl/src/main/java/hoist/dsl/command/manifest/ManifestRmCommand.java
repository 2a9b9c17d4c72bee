package hoist.dsl.command.manifest;

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

/** {@code manifest rm LIST...}: lists out of the local store; the images they name stay. */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove manifest lists from the local store.")
public final class ManifestRmCommand implements Callable<ManifestRmCommand.Removed> {

    /** What was untagged and deleted, one line each, as rmi prints. */
    public record Removed(List<String> lines) implements CommandOutput {
        @Override
        public String text() {
            return String.join("\n", lines);
        }
    }

    @ParentCommand
    ManifestCommand manifest;

    @Parameters(arity = "1..*", paramLabel = "LIST", description = "Name or ID of a list.")
    List<String> lists;

    @Override
    public Removed call() throws IOException {
        LocalStore store = LocalStore.open(manifest.session().context().storeRoot());
        List<String> lines = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String list : lists) {
            try {
                lines.addAll(store.removeList(list));
            } catch (HoistException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            lines.forEach(manifest.session().out()::println);
            throw new HoistException(String.join("\n", failures));
        }
        return new Removed(lines);
    }
}
