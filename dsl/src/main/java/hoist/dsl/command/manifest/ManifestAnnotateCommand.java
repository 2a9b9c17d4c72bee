package hoist.dsl.command.manifest;

import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.image.ListEntryChanges;
import hoist.engine.store.ListEditing;
import hoist.engine.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code manifest annotate LIST IMAGE-DIGEST}: platform and annotations of an entry, or ({@code --index}) of the list. */
@Command(name = "annotate", mixinStandardHelpOptions = true,
        description = "Change the platform or annotations of a list's entry, or (--index) the list's annotations.")
public final class ManifestAnnotateCommand implements Callable<ListChanged> {

    @ParentCommand
    ManifestCommand manifest;

    @Mixin
    EntryFlags entry;

    @Option(names = "--index", description = "Set the --annotation values on the index itself.")
    boolean index;

    @Parameters(index = "0", paramLabel = "LIST", description = "The list: name or ID in the local store.")
    String list;

    @Parameters(index = "1", arity = "0..1", paramLabel = "IMAGE-DIGEST",
            description = "Digest of the entry to change (sha256:...); not with --index.")
    String instance;

    @Override
    public ListChanged call() throws IOException {
        ListEntryChanges changes = entry.toChanges();
        LocalStore store = LocalStore.open(manifest.session().context().storeRoot());
        try (ListEditing editing = ListEditing.open(store, manifest.session().context().platform())) {
            if (index) {
                if (entry.setsPlatform()) {
                    throw HoistException.usage("--index sets annotations of the index; platform options need an IMAGE-DIGEST");
                }
                Map<String, String> annotations = changes.annotations();
                return new ListChanged(editing.annotateIndex(list, annotations));
            }
            if (instance == null) {
                throw HoistException.usage("manifest annotate needs LIST and IMAGE-DIGEST (or --index)");
            }
            return new ListChanged(editing.annotate(list, digest(instance), changes));
        }
    }

    private static Digest digest(String text) {
        try {
            return Digest.parse(text);
        } catch (IllegalArgumentException e) {
            throw HoistException.usage("\"" + text + "\" is not an image digest (sha256:...)");
        }
    }
}
