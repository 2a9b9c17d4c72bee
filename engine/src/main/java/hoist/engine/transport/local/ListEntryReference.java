package hoist.engine.transport.local;

import hoist.engine.HoistException;
import hoist.engine.image.ListEntryChanges;
import hoist.engine.store.ListEditing;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.Transport;
import hoist.engine.transport.TransportContext;

/**
 * Where a copy puts an image that joins a manifest list of the store ({@code manifest add} of an
 * image from another transport): the blobs go to the list editing's staging directory, and the
 * image's entries join the editing, which makes the list change later in one store update.
 */
public record ListEntryReference(Transport transport, String list, ListEditing editing, boolean all,
                                 ListEntryChanges changes) implements ImageReference {

    /** A reference for adding to {@code list} through {@code editing}. */
    public static ListEntryReference of(String list, ListEditing editing, boolean all, ListEntryChanges changes) {
        return new ListEntryReference(new LocalTransport(), list, editing, all, changes);
    }

    @Override
    public String details() {
        return list;
    }

    @Override
    public ImageSource openSource(TransportContext context) {
        throw new HoistException("local:" + list + ": an entry being added cannot be read");
    }

    @Override
    public ImageDestination openDestination(TransportContext context) {
        return new ListEntryDestination(this);
    }

    @Override
    public String toString() {
        return text();
    }
}
