package hoist.dsl.command;

import hoist.dsl.CommandOutput;
import hoist.engine.inspect.HumanSize;
import hoist.engine.store.LocalStore;
import hoist.engine.store.StoredImage;
import hoist.engine.transport.DockerReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code images}: the local store's images, as podman images lists them. */
@Command(name = "images", mixinStandardHelpOptions = true, description = "List the images in the local store.")
public final class ImagesCommand implements Callable<ImagesCommand.Listing> {

    /** The images, and the table (or IDs) printed for them. */
    public record Listing(List<StoredImage> images, String text) implements CommandOutput {
    }

    @ParentCommand
    HoistCommand hoist;

    @Option(names = {"-q", "--quiet"}, description = "Print image IDs only.")
    boolean quiet;

    @Option(names = "--no-trunc", description = "Show full image IDs.")
    boolean noTrunc;

    @Override
    public Listing call() throws IOException {
        List<StoredImage> images = LocalStore.open(hoist.session().context().storeRoot()).images();
        return new Listing(images, quiet ? ids(images) : table(images));
    }

    private String ids(List<StoredImage> images) {
        return String.join("\n", images.stream().map(i -> noTrunc ? i.id().toString() : i.id().shortHex()).distinct().toList());
    }

    private String table(List<StoredImage> images) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"});
        for (StoredImage image : images) {
            String id = noTrunc ? image.id().toString() : image.id().shortHex();
            List<String> names = image.names().isEmpty() ? List.of("<none>:<none>") : image.names();
            for (String name : names) {
                String repository = name.equals("<none>:<none>") ? "<none>" : DockerReference.parse(name).name();
                String tag = name.equals("<none>:<none>") ? "<none>" : String.valueOf(DockerReference.parse(name).tag());
                rows.add(new String[] {repository, tag, id, ago(image.created()), humanSize(image.size())});
            }
        }
        return Table.format(rows);
    }

    static String ago(String created) {
        if (created == null) {
            return "unknown";
        }
        try {
            Duration age = Duration.between(Instant.parse(created), Instant.now());
            if (age.toMinutes() < 1) {
                return "Less than a minute ago";
            }
            if (age.toHours() < 1) {
                return age.toMinutes() + " minutes ago";
            }
            if (age.toDays() < 1) {
                return age.toHours() + " hours ago";
            }
            return age.toDays() + " days ago";
        } catch (DateTimeParseException e) {
            return created;
        }
    }

    static String humanSize(long bytes) {
        return HumanSize.of(bytes);
    }
}
