package hoist.dsl.command.manifest;

import hoist.dsl.CommandOutput;
import hoist.engine.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExitCodeGenerator;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code manifest exists LIST}: exit status 0 when the local store has that list, 1 when not; prints nothing. */
@Command(name = "exists", mixinStandardHelpOptions = true, description = "Tell by the exit status whether a manifest list exists.")
public final class ManifestExistsCommand implements Callable<ManifestExistsCommand.Exists>, IExitCodeGenerator {

    /** Whether the list exists; the exit status says it on the command line. */
    public record Exists(boolean exists) implements CommandOutput {
        @Override
        public String text() {
            return "";
        }
    }

    private Exists answer;

    @ParentCommand
    ManifestCommand manifest;

    @Parameters(index = "0", paramLabel = "LIST", description = "Name or ID of a list.")
    String list;

    @Override
    public Exists call() throws IOException {
        LocalStore store = LocalStore.open(manifest.session().context().storeRoot());
        answer = new Exists(store.find(list).map(image -> image.isList()).orElse(false));
        return answer;
    }

    /** picocli asks the command (not its result) for the exit status. */
    @Override
    public int getExitCode() {
        return answer != null && answer.exists() ? 0 : 1;
    }
}
