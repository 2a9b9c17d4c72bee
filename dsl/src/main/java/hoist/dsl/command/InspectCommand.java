package hoist.dsl.command;

import hoist.dsl.CommandOutput;
import hoist.dsl.format.GoTemplate;
import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.inspect.ImageContent;
import hoist.engine.inspect.ImageInspection;
import hoist.engine.inspect.InspectedConfig;
import hoist.engine.inspect.InspectedImage;
import hoist.engine.inspect.InspectedInstance;
import hoist.engine.inspect.InspectedLayer;
import hoist.engine.inspect.InspectionTree;
import hoist.engine.inspect.InspectedReferrer;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code inspect [--raw] [--config] [--tree] REF}: the manifest, config and layers, as skopeo
 * inspect shows them, or as a tree for people.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show an image: JSON like skopeo inspect; --raw the manifest bytes; --config the config; "
                + "--tree every platform, config and layer as a tree.")
public final class InspectCommand implements Callable<InspectCommand.Inspected> {

    /**
     * The image read, navigable from a script ({@code inspect(ref).layers}, {@code .manifests},
     * {@code .config.architecture}, {@code .instance('linux/arm64')}), the repository's tags where the
     * transport has them ({@code docker://}), and the text the options ask for.
     */
    public record Inspected(InspectedImage image, List<String> tags, String text, boolean exact) implements CommandOutput {

        /** A result whose text is for people (the command line ends it with a line break). */
        public Inspected(InspectedImage image, List<String> tags, String text) {
            this(image, tags, text, false);
        }

        @Override
        public boolean endsLine() {
            return !exact;
        }

        public String getReference() {
            return image.reference();
        }

        public String getDigest() {
            return image.digest();
        }

        public String getMediaType() {
            return image.mediaType();
        }

        public long getSize() {
            return image.size();
        }

        public boolean isList() {
            return image.list();
        }

        public Map<String, String> getAnnotations() {
            return image.annotations();
        }

        public List<InspectedInstance> getManifests() {
            return image.manifests();
        }

        public InspectedConfig getConfig() {
            return image.config();
        }

        public List<InspectedLayer> getLayers() {
            return image.layers();
        }

        /** What is attached to the manifest: OCI referrers and cosign's tags, each with its own ({@code .referrers}). */
        public List<InspectedReferrer> getReferrers() {
            return image.referrers();
        }

        /** A list's entry by digest (or unique prefix) or by platform {@code os/arch[/variant]}. */
        public InspectedImage instance(String digestOrPlatform) {
            return image.instance(digestOrPlatform);
        }

        /** What the command line prints, so a script's {@code println inspect(ref)} shows the same. */
        @Override
        public String toString() {
            return text;
        }
    }

    @ParentCommand
    HoistCommand hoist;

    @Mixin
    RegistryFlags registry;

    @Option(names = "--raw", description = "Print the manifest (or list) exactly as stored.")
    boolean raw;

    @Option(names = "--config", description = "Print the image config.")
    boolean config;

    @Option(names = "--tree", description = "Draw the list, each platform's manifest, config and layers as a tree.")
    boolean tree;

    @Option(names = "--no-trunc", description = "With --tree, show whole digests.")
    boolean noTrunc;

    @Option(names = {"-f", "--format"}, paramLabel = "TEMPLATE",
            description = "Print the summary through a Go template: {{.Digest}}, {{.Name}}, {{range .Layers}}...{{end}}, {{json .}}.")
    String format;

    @Option(names = {"-n", "--no-tags"}, description = "Do not list the repository's tags (RepoTags stays empty).")
    boolean noTags;

    @Parameters(index = "0", paramLabel = "REF", description = "Local image, or TRANSPORT:DETAILS.")
    String reference;

    @Override
    public Inspected call() throws IOException {
        if (tree && (raw || config)) {
            throw HoistException.usage("--tree cannot be combined with --raw or --config");
        }
        if (format != null && (raw || config || tree)) {
            throw HoistException.usage("--format cannot be combined with --raw, --config or --tree");
        }
        GoTemplate template = format != null ? GoTemplate.parse(format) : null;
        ImageReference ref = Transports.parse(reference, hoist.session().storage());
        TransportContext context = registry.apply(hoist.session().context());
        try (ImageSource source = ref.openSource(context)) {
            ImageContent content = ImageContent.read(source);
            InspectedImage image = InspectedImage.of(ref.text(), content, context.platform(), attached(source, content));
            List<String> tags = noTags ? List.of() : source.repositoryTags();
            if (tree) {
                return new Inspected(image, tags, InspectionTree.render(image, noTrunc));
            }
            if (raw && !config) {
                // as stored, a list included: no platform is chosen, so none has to match this machine
                return new Inspected(image, tags, new String(content.raw().bytes(), StandardCharsets.UTF_8), true);
            }
            ImageInspection inspection = ImageInspection.of(ref, content, context.platform(), tags);
            return new Inspected(image, tags, template != null ? SummaryTemplate.render(template, inspection) : text(inspection),
                    raw && config);
        }
    }

    /**
     * What is attached to each manifest, for the tree and for scripts ({@code .referrers}); not
     * looked for when only bytes as stored or a template's fields are asked for. A source that
     * cannot list them fails the tree; a summary goes on without them.
     */
    private Map<Digest, List<InspectedReferrer>> attached(ImageSource source, ImageContent content) throws IOException {
        if (raw || config || format != null) {
            return Map.of();
        }
        try {
            return InspectedReferrer.attachedTo(source, content);
        } catch (IOException | RuntimeException e) {
            if (tree) {
                throw e;
            }
            return Map.of();
        }
    }

    /** As skopeo: --raw prints bytes as stored, --config the config (raw with --raw), else the summary. */
    private String text(ImageInspection inspection) {
        if (raw && config) {
            return new String(inspection.configBytes(), StandardCharsets.UTF_8);
        }
        return config ? inspection.configJson() : inspection.summaryJson();
    }
}
