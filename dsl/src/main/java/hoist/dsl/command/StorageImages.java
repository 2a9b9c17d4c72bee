package hoist.dsl.command;

import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.store.StoredImage;
import hoist.engine.transport.storage.ContainersStorage;
import hoist.engine.transport.storage.StoreOptions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link LocalImages} of podman's and buildah's store, where {@code storage.conf} puts it
 * ({@code CONTAINERS_STORAGE_CONF}, the user's or the system's file, else the defaults).
 */
final class StorageImages implements LocalImages {

    private static final String WHAT = "containers-storage";

    private ContainersStorage store() {
        return ContainersStorage.open(StoreOptions.defaults(), WHAT);
    }

    @Override
    public List<StoredImage> images() throws IOException {
        return store().images().stream().map(StorageImages::asStored).toList();
    }

    /** The listing's view of an image; the manifest digest is the image ID's when none is recorded. */
    private static StoredImage asStored(ContainersStorage.ImageSummary image) {
        Digest id = Digest.parse("sha256:" + image.id());
        String created = image.created() == null || image.created().isEmpty() ? null : image.created();
        return new StoredImage(image.digest() != null ? image.digest() : id, "", id, image.names(), created,
                Math.max(0, image.size()));
    }

    @Override
    public StoredImage tag(String image, List<String> names) throws IOException {
        ContainersStorage store = store();
        for (String name : names) {
            store.tag(image, name);
        }
        return find(store, names.get(0));
    }

    @Override
    public List<String> remove(String image, boolean force) throws IOException {
        ContainersStorage store = store();
        StoredImage target = find(store, image);
        List<String> lines = new ArrayList<>();
        String name = target.names().stream().filter(n -> sameName(n, image)).findFirst().orElse(null);
        if (name != null && target.names().size() > 1) {
            store.untag(name);
            lines.add("Untagged: " + name);
            return lines;
        }
        if (name == null && target.names().size() > 1 && !force) {
            throw new HoistException(image + ": image " + target.id().shortHex() + " has several names ("
                    + String.join(", ", target.names()) + "); remove them one by one, or give -f to remove it with all of them");
        }
        target.names().forEach(n -> lines.add("Untagged: " + n));
        lines.add("Deleted: " + store.remove(target.id().hex()));
        return lines;
    }

    @Override
    public List<String> removeAll() throws IOException {
        ContainersStorage store = store();
        List<String> lines = new ArrayList<>();
        for (StoredImage image : images()) {
            image.names().forEach(n -> lines.add("Untagged: " + n));
            lines.add("Deleted: " + store.remove(image.id().hex()));
        }
        return lines;
    }

    private StoredImage find(ContainersStorage store, String image) throws IOException {
        String id = store.resolve(image);
        return store.images().stream().filter(i -> i.id().equals(id)).map(StorageImages::asStored).findFirst()
                .orElseThrow(() -> new HoistException(image + ": image not known in containers-storage"));
    }

    /** Whether {@code stored} is what {@code typed} names, podman's way: a short name is in localhost, no tag is latest. */
    private static boolean sameName(String stored, String typed) {
        try {
            return stored.equals(TagCommand.normalize(typed));
        } catch (HoistException notAName) {
            return false;
        }
    }
}
