package hoist.dsl.command.manifest;

import hoist.dsl.Session;
import hoist.dsl.command.RegistryFlags;
import hoist.engine.image.ListEntryChanges;
import hoist.engine.store.ListEditing;
import hoist.engine.store.LocalStore;
import hoist.engine.transport.TransportContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code manifest add LIST IMAGE...}: images join an existing list; an image from elsewhere is copied into the store. */
@Command(name = "add", mixinStandardHelpOptions = true, description = "Add images to a manifest list.")
public final class ManifestAddCommand implements Callable<ListChanged> {

    @ParentCommand
    ManifestCommand manifest;

    @Mixin
    RegistryFlags registry;

    @Mixin
    EntryFlags entry;

    @Option(names = "--all", description = "Add every image of a list IMAGE, not only the one for this platform.")
    boolean all;

    @Parameters(index = "0", paramLabel = "LIST", description = "The list: name or ID in the local store.")
    String list;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE",
            description = "Images to add: local names or IDs, or TRANSPORT:DETAILS.")
    List<String> images;

    @Override
    public ListChanged call() throws IOException {
        Session session = manifest.session();
        ListEntryChanges changes = entry.toChanges();
        TransportContext context = registry.apply(session.context());
        LocalStore store = LocalStore.open(context.storeRoot());
        try (ListEditing editing = ListEditing.open(store, context.platform())) {
            for (String image : images) {
                EntrySource.add(session, context, store, editing, list, image, all, changes);
            }
            return new ListChanged(editing.addTo(list));
        }
    }
}
