package hoist.dsl.command;

import hoist.dsl.CommandOutput;
import hoist.engine.HoistException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code rmi [-f] IMAGE...}, {@code rmi -a}: remove names or images from the local store, as
 * podman rmi does: a name removes that name, an ID the image with all its names (with {@code -f}
 * only, when it has more than one).
 */
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

    @Option(names = {"-f", "--force"}, description = "Remove an image named by ID with all its names.")
    boolean force;

    @Option(names = {"-a", "--all"}, description = "Remove every image in the local store.")
    boolean all;

    @Parameters(arity = "0..*", paramLabel = "IMAGE", description = "Name, ID or ID prefix.")
    List<String> images = List.of();

    @Override
    public Removed call() throws IOException {
        if (all == !images.isEmpty()) {
            throw HoistException.usage(all ? "rmi --all removes every image: name none"
                    : "Missing required parameter: 'IMAGE' (or --all)");
        }
        LocalImages store = LocalImages.of(hoist.session());
        if (all) {
            return new Removed(store.removeAll());
        }
        List<String> lines = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String image : images) {
            try {
                lines.addAll(store.remove(image, force));
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
