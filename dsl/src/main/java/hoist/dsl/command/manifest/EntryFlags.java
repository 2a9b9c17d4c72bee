package hoist.dsl.command.manifest;

import hoist.engine.HoistException;
import hoist.engine.image.ListEntryChanges;
import picocli.CommandLine.Option;

import java.util.List;

/** What {@code manifest add} and {@code annotate} may set on a list's entry: its platform and annotations. */
public final class EntryFlags {

    @Option(names = "--arch", paramLabel = "ARCH", description = "Architecture recorded for the image.")
    String arch;

    @Option(names = "--os", paramLabel = "OS", description = "Operating system recorded for the image.")
    String os;

    @Option(names = "--os-version", paramLabel = "VERSION", description = "OS version recorded for the image.")
    String osVersion;

    @Option(names = "--os-features", split = ",", paramLabel = "FEATURE", description = "OS features recorded for the image.")
    List<String> osFeatures;

    @Option(names = "--variant", paramLabel = "VARIANT", description = "Architecture variant recorded for the image.")
    String variant;

    @Option(names = "--features", split = ",", paramLabel = "FEATURE",
            description = "Platform features: only Docker manifest lists have them, so refused here.")
    List<String> features;

    @Option(names = "--annotation", paramLabel = "KEY=VALUE", description = "Annotation for the image's entry.")
    List<String> annotations;

    ListEntryChanges toChanges() {
        if (features != null) {
            throw HoistException.usage("--features cannot be recorded: hoist keeps lists as OCI image indexes, "
                    + "whose platforms have no features field");
        }
        return new ListEntryChanges(os, arch, variant, osVersion, osFeatures, Annotations.parse(annotations));
    }

    boolean setsPlatform() {
        return arch != null || os != null || osVersion != null || osFeatures != null || variant != null || features != null;
    }
}
