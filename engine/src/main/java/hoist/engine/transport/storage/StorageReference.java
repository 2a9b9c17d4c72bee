package hoist.engine.transport.storage;

import hoist.engine.HoistException;
import hoist.engine.transport.ReferencePaths;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.Transport;
import hoist.engine.transport.TransportContext;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code [[DRIVER@]GRAPHROOT[+RUNROOT][:OPTIONS]]IMAGE}, as containers/image parses it: the
 * bracketed store part is optional (the default store of {@link StoreOptions#defaults()}), and
 * IMAGE is {@code name[:tag]}, {@code name@sha256:DIGEST}, {@code name:tag@sha256:DIGEST}, a
 * full 64-hex image ID (also as {@code sha256:ID}, {@code @ID} or {@code name@ID}), or, for reading, a unique ID
 * prefix. Names are normalized as docker does ({@code alpine} is {@code docker.io/library/alpine:latest});
 * when reading, an unqualified name not found so is also looked up under {@code localhost/}, as
 * podman does for images it built.
 *
 * @param store   the bracketed store part as given (null: the default store)
 * @param name    the image name, null when only an ID was given
 * @param id      a full image ID (64 hex), or null
 * @param given   the IMAGE text as the user wrote it
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-transports.5.md">containers-transports(5)</a>
 */
public record StorageReference(Transport transport, StoreSpec store, DockerReference name, String id, String given)
        implements ImageReference {

    private static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ID_PREFIX = Pattern.compile("[0-9a-f]{3,63}");

    /**
     * The bracketed part: every field may be empty (the default's). {@code options} are the
     * comma-separated driver options.
     */
    public record StoreSpec(String driver, String graphRoot, String runRoot, List<String> options) {

        /** The options with the defaults filled in where this spec leaves them out. */
        StoreOptions resolve() {
            StoreOptions d = StoreOptions.defaults();
            Path graph = graphRoot.isEmpty() ? d.graphRoot() : Path.of(graphRoot);
            Path run = runRoot.isEmpty() ? d.runRoot() : Path.of(runRoot);
            String drv = !driver.isEmpty() ? driver : graphRoot.isEmpty() ? d.driver() : StoreOptions.detectDriver(graph);
            return new StoreOptions(drv, graph, run, options.isEmpty() ? d.options() : options);
        }

        String text() {
            StringBuilder s = new StringBuilder("[");
            if (!driver.isEmpty()) {
                s.append(driver).append('@');
            }
            s.append(graphRoot);
            if (!runRoot.isEmpty()) {
                s.append('+').append(runRoot);
            }
            if (!options.isEmpty()) {
                s.append(':').append(String.join(",", options));
            }
            return s.append(']').toString();
        }
    }

    public static StorageReference parse(Transport transport, String details) {
        String text = transport.name() + ":" + details;
        StoreSpec store = null;
        String image = details;
        if (details.startsWith("[")) {
            int close = details.indexOf(']');
            if (close < 0) {
                throw HoistException.usage("invalid reference \"" + text + "\": missing ']' after the store");
            }
            store = parseStore(details.substring(1, close), text);
            image = details.substring(close + 1);
        }
        if (image.isEmpty()) {
            throw HoistException.usage("invalid reference \"" + text + "\": no image named");
        }
        String id = null;
        String nameText = image;
        int at = image.lastIndexOf('@');
        if (at >= 0 && FULL_ID.matcher(image.substring(at + 1)).matches()) {
            id = image.substring(at + 1);
            nameText = image.substring(0, at);
        } else if (FULL_ID.matcher(image).matches()) {
            id = image;
            nameText = "";
        } else if (image.startsWith("sha256:") && FULL_ID.matcher(image.substring(7)).matches()) {
            id = image.substring(7); // as podman prints image IDs
            nameText = "";
        }
        DockerReference name = null;
        if (!nameText.isEmpty()) {
            try {
                name = DockerReference.parse(nameText);
            } catch (HoistException e) {
                if (id == null && ID_PREFIX.matcher(nameText).matches()) {
                    return new StorageReference(transport, store, null, null, image); // an ID prefix
                }
                throw HoistException.usage("invalid reference \"" + text + "\": " + e.getMessage());
            }
        }
        return new StorageReference(transport, store, name, id, image);
    }

    private static StoreSpec parseStore(String spec, String text) {
        String driver = "";
        int at = spec.indexOf('@');
        if (at >= 0) {
            driver = spec.substring(0, at);
            spec = spec.substring(at + 1);
            if (!StoreOptions.DRIVERS.contains(driver)) {
                throw HoistException.usage("invalid reference \"" + text + "\": storage driver \"" + driver
                        + "\" is not supported: expected one of " + String.join(", ", StoreOptions.DRIVERS));
            }
        }
        List<String> options = new ArrayList<>();
        int colon = spec.indexOf(':');
        if (colon >= 0) {
            for (String o : spec.substring(colon + 1).split(",")) {
                if (!o.isEmpty()) {
                    options.add(o);
                }
            }
            spec = spec.substring(0, colon);
        }
        String graph = spec;
        String run = "";
        int plus = spec.indexOf('+');
        if (plus >= 0) {
            graph = spec.substring(0, plus);
            run = spec.substring(plus + 1);
        }
        for (String root : List.of(graph, run)) {
            if (!root.isEmpty() && !root.startsWith("/")) {
                throw HoistException.usage("invalid reference \"" + text + "\": store path \"" + root + "\" is not absolute");
            }
        }
        return new StoreSpec(driver, graph.isEmpty() ? "" : ReferencePaths.of(graph, text).normalize().toString(),
                run.isEmpty() ? "" : ReferencePaths.of(run, text).normalize().toString(), options);
    }

    /** The store this reference names, its defaults filled in. */
    public StoreOptions storeOptions() {
        return store == null ? StoreOptions.defaults() : store.resolve();
    }

    /** The names to look up, in order: the name as normalized, then (unqualified names) under localhost/. */
    List<String> candidateNames() {
        List<String> names = new ArrayList<>();
        if (name == null) {
            return names;
        }
        DockerReference full = name.digest() == null ? name.withDefaultTag() : name;
        names.add(full.toString());
        String plain = given.contains("@") && id != null ? given.substring(0, given.lastIndexOf('@')) : given;
        if (!DockerReference.isQualified(plain)) {
            DockerReference local = DockerReference.parse("localhost/" + plain);
            names.add((local.digest() == null ? local.withDefaultTag() : local).toString());
        }
        return names;
    }

    /** Whether IMAGE is only a (partial) image ID. */
    boolean isIdPrefix() {
        return name == null && id == null;
    }

    @Override
    public String details() {
        return (store == null ? "" : store.text()) + given;
    }

    @Override
    public ImageSource openSource(TransportContext context) throws IOException {
        ContainersStorage storage = ContainersStorage.open(storeOptions(), text());
        return StorageSource.open(this, storage);
    }

    @Override
    public ImageDestination openDestination(TransportContext context) throws IOException {
        if (name == null && id == null) {
            throw HoistException.usage(text() + ": a destination needs an image name");
        }
        StoreOptions options = storeOptions();
        boolean newStore = !java.nio.file.Files.exists(options.graphRoot());
        ContainersStorage storage = ContainersStorage.openForWriting(options, text());
        return new StorageDestination(this, storage, newStore);
    }

    /** Removes the image with all its names, and the layers no other image uses, as skopeo delete does here. */
    @Override
    public void deleteImage(TransportContext context) throws IOException {
        ContainersStorage storage = ContainersStorage.open(storeOptions(), text());
        storage.remove(given);
    }

    @Override
    public Optional<DockerReference> dockerReference() {
        return Optional.ofNullable(name).map(n -> n.digest() == null ? n.withDefaultTag() : n);
    }

    @Override
    public String toString() {
        return text();
    }
}
