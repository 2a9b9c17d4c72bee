package hoist.dsl.command.manifest;

import hoist.dsl.CommandOutput;
import hoist.dsl.command.CopyFlags;
import hoist.dsl.command.CopyRun;
import hoist.dsl.command.PushCommand;
import hoist.engine.HoistException;
import hoist.engine.compress.Compression;
import hoist.engine.compress.CompressionDefaults;
import hoist.engine.copy.CopyOptions;
import hoist.engine.copy.CopyResult;
import hoist.engine.image.Digest;
import hoist.engine.store.LocalStore;
import hoist.engine.store.StoredImage;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.Transports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code manifest push LIST [DESTINATION]}: the list and (with {@code --all}, the default, as in
 * podman) every image it names, from the store; {@code --rm} then removes the list.
 * {@code --add-compression FORMAT} gives each platform an instance in FORMAT too (podman 4.7+).
 * containers.conf's {@code compression_format}, {@code compression_level} and
 * {@code add_compression} are the defaults of the options of the same meaning.
 */
@Command(name = "push", mixinStandardHelpOptions = true, description = "Push a manifest list and its images.")
public final class ManifestPushCommand implements Callable<ManifestPushCommand.Pushed> {

    /** How the push went, and what {@code --rm} removed; prints nothing (the digest goes to --digestfile). */
    public record Pushed(CopyResult copy, List<String> removed) implements CommandOutput {
        public Digest digest() {
            return copy.digest();
        }

        @Override
        public String text() {
            return "";
        }
    }

    @ParentCommand
    ManifestCommand manifest;

    @Mixin
    CopyFlags flags;

    @Option(names = {"--rm", "-p", "--purge"}, description = "Remove the list from the local store once pushed.")
    boolean rm;

    @Option(names = "--add-compression", paramLabel = "FORMAT", split = ",",
            completionCandidates = AddCompressionNames.class,
            description = "Also push each image with its layers in FORMAT (gzip, zstd), as another instance of the "
                    + "list for the same platform; repeatable. Default: containers.conf's add_compression.")
    List<String> addCompression;

    @Parameters(index = "0", paramLabel = "LIST", description = "The list: name or ID in the local store.")
    String list;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DESTINATION",
            description = "Where to push; without a transport, docker://. Default: the list's name on docker://.")
    String destination;

    @Override
    public Pushed call() throws IOException {
        LocalStore store = LocalStore.open(manifest.session().context().storeRoot());
        StoredImage stored = store.find(list).orElseThrow(() -> new HoistException(
                list + ": no manifest list of that name in the local store"));
        if (!stored.isList()) {
            throw new HoistException(list + " is not a manifest list (it is the image " + stored.id().shortHex()
                    + "); use push for images");
        }
        String target = destination != null ? PushCommand.destinationText(destination) : "docker://" + defaultName(stored);
        ImageReference source = Transports.parse("local:" + list);
        CompressionDefaults defaults = CompressionDefaults.load();
        CopyOptions options = flags.toOptions(true); // containers.conf's format and level included
        List<Compression> variants = addCompression != null
                ? addCompression.stream().map(String::strip).filter(s -> !s.isEmpty()).map(Compression::parse).distinct().toList()
                : defaults.addCompression();
        List<ImageReference> targets = List.of(Transports.parse(target));
        var context = flags.context(manifest.session().context());
        CopyResult result = CopyRun.run(context, context, source, targets, options,
                flags.listener(manifest.session(), targets), variants, flags.signing());
        List<String> removed = rm ? store.removeList(list) : List.of();
        return new Pushed(result, removed);
    }

    /** The --add-compression values offered by completion. */
    static final class AddCompressionNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("gzip", "zstd").iterator();
        }
    }

    private String defaultName(StoredImage stored) {
        return LocalStore.nameMatched(stored, list).or(() -> stored.names().stream().findFirst()).orElseThrow(() -> HoistException.usage(
                "\"" + list + "\" has no name to push to; give a DESTINATION"));
    }
}
