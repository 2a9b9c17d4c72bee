package hoist.shell.repl;

import hoist.dsl.Session;
import hoist.engine.store.LocalStore;
import hoist.engine.store.StoredImage;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import hoist.engine.transport.storage.ContainersStorage;
import hoist.engine.transport.storage.StoreOptions;
import org.jline.reader.Candidate;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Completion of image references: the prefixes of the transports the engine has registered,
 * the names of the images in the store a bare name means (hoist's own, or containers-storage
 * when {@code --storage} says so), file paths after the transports that take one, and a registry
 * repository's tags (asked for on demand, with {@code --tls-verify=false} when the line says so;
 * a registry that is slow or refuses simply offers nothing).
 */
final class ReferenceCompletion {

    /** The transports whose details are a path on this machine. */
    private static final List<String> PATH_TRANSPORTS = List.of("oci", "oci-archive", "dir", "docker-archive", "sif");
    private static final String REGISTRY = "docker://";
    private static final String STORAGE = "containers-storage";

    private final Supplier<Session> session;
    private final Duration registryTimeout;

    /** {@code session} is read at each completion: the shell's options may have changed. */
    ReferenceCompletion(Supplier<Session> session, Duration registryTimeout) {
        this.session = session;
        this.registryTimeout = registryTimeout;
    }

    /** The prefix each registered transport is written with: {@code docker://}, {@code oci:}, ... */
    static List<String> transportPrefixes() {
        return Transports.names().stream().map(name -> name.equals("docker") ? REGISTRY : name + ":").toList();
    }

    /** Candidates for {@code word}, an image reference being typed; {@code words} is the whole line. */
    void complete(String word, List<String> words, List<Candidate> candidates) {
        for (String transport : PATH_TRANSPORTS) {
            if (Transports.names().contains(transport) && word.startsWith(transport + ":")) {
                paths(transport + ":", word.substring(transport.length() + 1), candidates);
                return;
            }
        }
        if (word.startsWith(REGISTRY)) {
            registryTags(word, tlsVerifyOff(words), candidates);
            return;
        }
        if (word.startsWith("local:")) {
            localNames("local:", candidates);
            return;
        }
        if (word.startsWith(STORAGE + ":")) {
            storageNames(STORAGE + ":", candidates);
            return;
        }
        for (String transport : transportPrefixes()) {
            candidates.add(new Candidate(transport, transport, "transports", null, null, null, false));
        }
        if (session.get().storage().equals(STORAGE)) {
            storageNames("", candidates);
        } else {
            localNames("", candidates);
        }
    }

    /** {@code --tls-verify=false} (or {@code --src-}/{@code --dest-tls-verify}) among the words typed. */
    static boolean tlsVerifyOff(List<String> words) {
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.matches("--(src-|dest-)?tls-verify=false")
                    || word.matches("--(src-|dest-)?tls-verify") && i + 1 < words.size() && words.get(i + 1).equals("false")) {
                return true;
            }
        }
        return false;
    }

    /** Images of hoist's own store by every name they have; {@code localhost/} names by their short form as well. */
    private void localNames(String prefix, List<Candidate> candidates) {
        Path root = session.get().context().storeRoot();
        if (!Files.isDirectory(root)) {
            return; // completing must not create a store
        }
        try {
            for (StoredImage image : LocalStore.open(root).images()) {
                names(prefix, image.names(), candidates);
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable store offers no names; the command itself will say what is wrong
        }
    }

    /** Images of podman's and buildah's store (where storage.conf puts it) by every name they have. */
    private void storageNames(String prefix, List<Candidate> candidates) {
        try {
            for (ContainersStorage.ImageSummary image : ContainersStorage.open(StoreOptions.defaults(), STORAGE).images()) {
                names(prefix, image.names(), candidates);
            }
        } catch (IOException | RuntimeException e) {
            // no store or an unreadable one offers no names
        }
    }

    private static void names(String prefix, List<String> names, List<Candidate> candidates) {
        for (String name : names) {
            candidates.add(new Candidate(prefix + name, prefix + name, "images", null, null, null, true));
            if (name.startsWith("localhost/")) {
                String shortName = prefix + name.substring("localhost/".length());
                candidates.add(new Candidate(shortName, shortName, "images", null, null, null, true));
            }
        }
    }

    /** Entries of the directory {@code typed} is in, each offered as {@code prefix + path}. */
    void paths(String prefix, String typed, List<Candidate> candidates) {
        int slash = typed.lastIndexOf('/');
        String directoryPart = slash < 0 ? "" : typed.substring(0, slash + 1);
        String namePart = typed.substring(slash + 1);
        Path directory = directoryPart.isEmpty() ? Path.of("") : expandHome(directoryPart);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory.toAbsolutePath())) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".") && !namePart.startsWith(".")) {
                    continue;
                }
                boolean isDirectory = Files.isDirectory(entry);
                String shown = isDirectory ? name + "/" : name;
                candidates.add(new Candidate(prefix + directoryPart + shown, shown, null, null, null, null, !isDirectory));
            }
        } catch (IOException | RuntimeException e) {
            // nothing to offer from a directory that cannot be read
        }
    }

    private static Path expandHome(String path) {
        if (path.equals("~/") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(path.substring(2));
        }
        return Path.of(path);
    }

    /** {@code docker://host/repo:ta} offers the repository's tags, each as a whole reference. */
    private void registryTags(String word, boolean tlsVerifyOff, List<Candidate> candidates) {
        int lastSlash = word.lastIndexOf('/');
        int colon = word.indexOf(':', Math.max(lastSlash, REGISTRY.length()));
        if (lastSlash < REGISTRY.length() || colon < 0) {
            return;
        }
        String repository = word.substring(0, colon);
        for (String tag : tags(repository, tlsVerifyOff)) {
            candidates.add(new Candidate(repository + ":" + tag, tag, "tags", null, null, null, true));
        }
    }

    /**
     * The repository's tags, or none when the registry does not answer within the timeout;
     * {@code tlsVerifyOff} accepts any certificate and plain http, as {@code --tls-verify=false} does.
     */
    List<String> tags(String repository, boolean tlsVerifyOff) {
        TransportContext defaults = session.get().context();
        TransportContext current = tlsVerifyOff ? defaults.withRegistry(defaults.registry().withTlsVerify(false)) : defaults;
        FutureTask<List<String>> lookup = new FutureTask<>(() -> {
            try (ImageSource source = Transports.parse(repository).openSource(current)) {
                return source.repositoryTags();
            }
        });
        Thread thread = new Thread(lookup, "hoist-tag-completion");
        thread.setDaemon(true); // a registry that never answers must not keep the shell from exiting
        thread.start();
        try {
            return lookup.get(registryTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            lookup.cancel(true);
            Thread.currentThread().interrupt();
            return List.of();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            lookup.cancel(true);
            return List.of(); // slow, unreachable or refusing: completion offers nothing rather than an error
        }
    }
}
