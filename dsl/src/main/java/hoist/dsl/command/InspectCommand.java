package hoist.dsl.command;

import hoist.dsl.CommandOutput;
import hoist.engine.inspect.ImageInspection;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.Transports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code inspect [--raw] [--config] REF}: the manifest, config and layers, as skopeo inspect shows them. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show an image: JSON like skopeo inspect; --raw the manifest bytes; --config the config.")
public final class InspectCommand implements Callable<InspectCommand.Inspected> {

    /** The image read, and the text the options ask for. */
    public record Inspected(ImageInspection image, String text) implements CommandOutput {
    }

    @ParentCommand
    HoistCommand hoist;

    @Mixin
    RegistryFlags registry;

    @Option(names = "--raw", description = "Print the manifest (or list) exactly as stored.")
    boolean raw;

    @Option(names = "--config", description = "Print the image config.")
    boolean config;

    @Parameters(index = "0", paramLabel = "REF", description = "Local image, or TRANSPORT:DETAILS.")
    String reference;

    @Override
    public Inspected call() throws IOException {
        ImageReference ref = Transports.parse(reference, "local");
        ImageInspection inspection = ImageInspection.read(ref, registry.apply(hoist.session().context()));
        return new Inspected(inspection, text(inspection));
    }

    /** As skopeo: --raw prints bytes as stored, --config the config (raw with --raw), else the summary. */
    private String text(ImageInspection inspection) {
        if (raw && config) {
            return new String(inspection.configBytes(), StandardCharsets.UTF_8);
        }
        if (raw) {
            return new String(inspection.rawManifest().bytes(), StandardCharsets.UTF_8);
        }
        return config ? inspection.configJson() : inspection.summaryJson();
    }
}
