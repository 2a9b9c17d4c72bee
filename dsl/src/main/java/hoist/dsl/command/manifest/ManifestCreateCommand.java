package hoist.dsl.command.manifest;

import hoist.dsl.Session;
import hoist.dsl.command.RegistryFlags;
import hoist.dsl.command.TagCommand;
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

/** {@code manifest create LIST [IMAGE...]}: a new list in the local store, with the images given. */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a manifest list (an OCI image index).")
public final class ManifestCreateCommand implements Callable<ListChanged> {

    @ParentCommand
    ManifestCommand manifest;

    @Mixin
    RegistryFlags registry;

    @Option(names = "--all", description = "Add every image of a list IMAGE, not only the one for this platform.")
    boolean all;

    @Option(names = {"-a", "--amend"}, description = "Change LIST if it already exists instead of failing.")
    boolean amend;

    @Option(names = "--annotation", paramLabel = "KEY=VALUE", description = "Annotation for the index itself.")
    List<String> annotations;

    @Parameters(index = "0", paramLabel = "LIST", description = "Name of the list (unqualified: localhost/).")
    String list;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "IMAGE",
            description = "Images to add: local names or IDs, or TRANSPORT:DETAILS.")
    List<String> images;

    @Override
    public ListChanged call() throws IOException {
        Session session = manifest.session();
        String name = TagCommand.normalize(list);
        TransportContext context = registry.apply(session.context());
        LocalStore store = LocalStore.open(context.storeRoot());
        try (ListEditing editing = ListEditing.open(store, context.platform())) {
            for (String image : images == null ? List.<String>of() : images) {
                EntrySource.add(session, context, store, editing, name, image, all, ListEntryChanges.NONE);
            }
            return new ListChanged(editing.create(name, amend, Annotations.parse(annotations)));
        }
    }
}
