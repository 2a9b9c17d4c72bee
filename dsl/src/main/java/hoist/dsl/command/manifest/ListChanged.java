package hoist.dsl.command.manifest;

import hoist.dsl.CommandOutput;
import hoist.engine.image.Digest;
import hoist.engine.store.StoredImage;

import java.util.List;

/**
 * A list after {@code manifest create/add/annotate}: prints its ID, as podman does. A list's ID is
 * its manifest digest, so it changes with every change of the list; its names stay.
 */
public record ListChanged(StoredImage list) implements CommandOutput {

    public Digest id() {
        return list.id();
    }

    public Digest digest() {
        return list.manifestDigest();
    }

    public List<String> names() {
        return list.names();
    }

    @Override
    public String text() {
        return list.id().hex();
    }
}
