package hoist.dsl.command.manifest;

import hoist.dsl.Session;
import hoist.dsl.command.CopyRun;
import hoist.engine.HoistException;
import hoist.engine.copy.CopyOptions;
import hoist.engine.image.ListEntryChanges;
import hoist.engine.store.ListEditing;
import hoist.engine.store.LocalStore;
import hoist.engine.store.StoredImage;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import hoist.engine.transport.local.ListEntryReference;
import hoist.engine.transport.local.LocalReference;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * An image named to join a list: {@code TRANSPORT:DETAILS}, or a name or ID of the local store,
 * or else a registry name ({@code docker://}). Images from elsewhere are copied into the list
 * editing's staging, so that the list's images can later be pushed from the store.
 */
final class EntrySource {

    private EntrySource() {
    }

    static void add(Session session, TransportContext context, LocalStore store, ListEditing editing, String list,
                    String image, boolean all, ListEntryChanges changes) throws IOException {
        Optional<ImageReference> elsewhere = transportReference(image);
        if (elsewhere.isPresent() && !(elsewhere.get() instanceof LocalReference)) {
            CopyOptions options = CopyOptions.defaults().withAll(all).withRemoveSignatures(true);
            CopyRun.run(session, context, elsewhere.get(), List.of(ListEntryReference.of(list, editing, all, changes)),
                    options, true);
            return;
        }
        String local = elsewhere.map(ImageReference::details).orElse(image);
        Optional<StoredImage> stored = store.find(local);
        if (stored.isPresent()) {
            editing.addStored(stored.get(), all, changes);
        } else if (elsewhere.isEmpty() && DockerReference.isQualified(image)) {
            add(session, context, store, editing, list, "docker://" + image, all, changes);
        } else {
            throw new HoistException(image + ": no such image in the local store; name its transport (docker://...) "
                    + "to add it from elsewhere");
        }
    }

    private static Optional<ImageReference> transportReference(String text) {
        return Transports.parseExplicit(text);
    }
}
