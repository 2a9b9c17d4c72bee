package hoist.dsl.command.manifest;

import hoist.dsl.Session;
import hoist.dsl.command.HoistCommand;
import hoist.engine.HoistException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code manifest SUBCOMMAND}: groups the manifest list commands. */
@Command(name = "manifest", mixinStandardHelpOptions = true,
        description = "Create, change, inspect and push manifest lists and image indexes.",
        subcommands = {ManifestCreateCommand.class, ManifestAddCommand.class, ManifestAnnotateCommand.class,
                ManifestInspectCommand.class, ManifestPushCommand.class, ManifestRmCommand.class,
                ManifestExistsCommand.class})
public final class ManifestCommand implements Runnable {

    @ParentCommand
    HoistCommand hoist;

    Session session() {
        return hoist.session();
    }

    @Override
    public void run() {
        throw HoistException.usage("manifest needs a subcommand: create, add, annotate, inspect, push, rm or exists");
    }
}
