package hoist.dsl.command;

import hoist.dsl.CommandOutput;
import hoist.engine.inspect.HumanSize;
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

    /** The images, and the table (or IDs, or formatted rows) printed for them. */
    public record Listing(List<StoredImage> images, String text) implements CommandOutput {
    }

    /**
     * One line of the listing: an image under one of its names ({@code <none>} for both parts when
     * it has none), with what podman's {@code --format} fields give.
     */
    record Row(String repository, String tag, StoredImage image) {
    }

    @ParentCommand
    HoistCommand hoist;

    @Option(names = {"-q", "--quiet"}, description = "Print image IDs only.")
    boolean quiet;

    @Option(names = "--no-trunc", description = "Show full image IDs.")
    boolean noTrunc;

    @Option(names = {"-a", "--all"},
            description = "Show all images (the store keeps no intermediate images: the same as without it).")
    boolean all;

    @Option(names = "--digests", description = "Show each image's manifest digest.")
    boolean digests;

    @Option(names = {"-n", "--noheading"}, description = "Leave out the heading line.")
    boolean noHeading;

    @Option(names = "--format", paramLabel = "json|TEMPLATE",
            description = "json, or a Go template per line: {{.Repository}}, {{.Tag}}, {{.ID}}, {{.Digest}}, "
                    + "{{.Created}}, {{.CreatedAt}}, {{.Size}}.")
    String format;

    @Override
    public Listing call() throws IOException {
        List<StoredImage> images = LocalImages.of(hoist.session()).images();
        if (quiet) {
            return new Listing(images, ids(images));
        }
        if (format != null) {
            return new Listing(images, ImagesFormat.text(format, rows(images), images, noTrunc));
        }
        return new Listing(images, table(rows(images)));
    }

    private String ids(List<StoredImage> images) {
        return String.join("\n", images.stream().map(this::id).distinct().toList());
    }

    String id(StoredImage image) {
        return noTrunc ? image.id().toString() : image.id().shortHex();
    }

    static List<Row> rows(List<StoredImage> images) {
        List<Row> rows = new ArrayList<>();
        for (StoredImage image : images) {
            if (image.names().isEmpty()) {
                rows.add(new Row("<none>", "<none>", image));
            }
            for (String name : image.names()) {
                DockerReference ref = DockerReference.parse(name);
                rows.add(new Row(ref.name(), ref.tag() != null ? ref.tag() : "<none>", image));
            }
        }
        return rows;
    }

    private String table(List<Row> rows) {
        List<String[]> lines = new ArrayList<>();
        lines.add(digests ? new String[] {"REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE"}
                : new String[] {"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"});
        for (Row row : rows) {
            String id = id(row.image());
            String created = ago(row.image().created());
            String size = humanSize(row.image().size());
            lines.add(digests
                    ? new String[] {row.repository(), row.tag(), row.image().manifestDigest().toString(), id, created, size}
                    : new String[] {row.repository(), row.tag(), id, created, size});
        }
        String text = Table.format(lines);
        return noHeading ? text.lines().skip(1).reduce((a, b) -> a + "\n" + b).orElse("") : text;
    }

    /** When an image was made, as podman says it: {@code About a minute ago}, {@code 3 days ago}. */
    static String ago(String created) {
        if (created == null) {
            return "unknown";
        }
        try {
            return humanDuration(Duration.between(Instant.parse(created), Instant.now())) + " ago";
        } catch (DateTimeParseException e) {
            return created;
        }
    }

    /**
     * A duration in the one unit people read, with the thresholds podman (docker's go-units)
     * uses: seconds below a minute, minutes below an hour, hours below two days, then days, weeks,
     * months and years.
     */
    static String humanDuration(Duration age) {
        long seconds = age.getSeconds();
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = age.toMinutes();
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = Math.round(age.toMillis() / 3_600_000.0);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return age.toHours() / 24 / 365 + " years";
    }

    static String humanSize(long bytes) {
        return HumanSize.of(bytes);
    }
}
