package hoist.dsl.command;

import hoist.engine.store.LocalStore;
import hoist.engine.store.StoredImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@link LocalImages} of hoist's own store ({@code local:}). */
final class EmbeddedImages implements LocalImages {

    private final Path root;

    EmbeddedImages(Path root) {
        this.root = root;
    }

    @Override
    public List<StoredImage> images() throws IOException {
        return LocalStore.open(root).images();
    }

    @Override
    public StoredImage tag(String image, List<String> names) throws IOException {
        LocalStore store = LocalStore.open(root);
        store.tag(store.resolve(image), names);
        return store.resolve(names.get(0));
    }

    @Override
    public List<String> remove(String image, boolean force) throws IOException {
        return LocalStore.open(root).remove(image, force);
    }

    @Override
    public List<String> removeAll() throws IOException {
        return LocalStore.open(root).removeAll();
    }
}
