package hoist.dsl.command.manifest;

import hoist.dsl.CommandOutput;
import hoist.engine.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code manifest exists LIST}: exit status 0 when the local store has that list, 1 when not; prints nothing. */
@Command(name = "exists", mixinStandardHelpOptions = true, description = "Tell by the exit status whether a manifest list exists.")
public final class ManifestExistsCommand implements Callable<ManifestExistsCommand.Exists> {

    /** Whether the list exists; the exit status says it on the command line. */
    public record Exists(boolean exists) implements CommandOutput {
        @Override
        public String text() {
            return "";
        }

        @Override
        public int exitStatus() {
            return exists ? 0 : 1;
        }

        /** A script's {@code manifest.exists(...)} is true or false. */
        @Override
        public Object scriptValue() {
            return exists;
        }
    }

    @ParentCommand
    ManifestCommand manifest;

    @Parameters(index = "0", paramLabel = "LIST", description = "Name or ID of a list.")
    String list;

    @Override
    public Exists call() throws IOException {
        LocalStore store = LocalStore.open(manifest.session().context().storeRoot());
        return new Exists(store.find(list).map(image -> image.isList()).orElse(false));
    }
}
