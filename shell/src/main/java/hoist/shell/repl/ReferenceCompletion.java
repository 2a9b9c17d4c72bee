package hoist.shell.repl;

import hoist.engine.store.LocalStore;
import hoist.engine.store.StoredImage;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
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
 * Completion of image references: transport prefixes, local image names, file paths after the
 * transports that take one, and a registry repository's tags (asked for on demand; a registry that
 * is slow or refuses simply offers nothing).
 */
final class ReferenceCompletion {

    static final List<String> TRANSPORTS = List.of("docker://", "oci:", "oci-archive:", "dir:", "docker-archive:",
            "docker-daemon:", "containers-storage:", "local:");
    private static final List<String> PATH_TRANSPORTS = List.of("oci:", "oci-archive:", "dir:", "docker-archive:");
    private static final String REGISTRY = "docker://";

    private final Supplier<TransportContext> context;
    private final Duration registryTimeout;

    /** {@code context} is read at each completion: the session's options may have changed. */
    ReferenceCompletion(Supplier<TransportContext> context, Duration registryTimeout) {
        this.context = context;
        this.registryTimeout = registryTimeout;
    }

    void complete(String word, List<Candidate> candidates) {
        for (String transport : PATH_TRANSPORTS) {
            if (word.startsWith(transport)) {
                paths(transport, word.substring(transport.length()), candidates);
                return;
            }
        }
        if (word.startsWith(REGISTRY)) {
            registryTags(word, candidates);
            return;
        }
        if (word.startsWith("local:")) {
            localNames("local:", candidates);
            return;
        }
        for (String transport : TRANSPORTS) {
            candidates.add(new Candidate(transport, transport, "transports", null, null, null, false));
        }
        localNames("", candidates);
    }

    /** Local images by every name they have; {@code localhost/} names by their short form as well. */
    private void localNames(String prefix, List<Candidate> candidates) {
        Path root = context.get().storeRoot();
        if (!Files.isDirectory(root)) {
            return; // completing must not create a store
        }
        try {
            for (StoredImage image : LocalStore.open(root).images()) {
                for (String name : image.names()) {
                    candidates.add(new Candidate(prefix + name, prefix + name, "images", null, null, null, true));
                    if (name.startsWith("localhost/")) {
                        String shortName = prefix + name.substring("localhost/".length());
                        candidates.add(new Candidate(shortName, shortName, "images", null, null, null, true));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable store offers no names; the command itself will say what is wrong
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
    private void registryTags(String word, List<Candidate> candidates) {
        int lastSlash = word.lastIndexOf('/');
        int colon = word.indexOf(':', Math.max(lastSlash, REGISTRY.length()));
        if (lastSlash < REGISTRY.length() || colon < 0) {
            return;
        }
        String repository = word.substring(0, colon);
        for (String tag : tags(repository)) {
            candidates.add(new Candidate(repository + ":" + tag, tag, "tags", null, null, null, true));
        }
    }

    /** The repository's tags, or none when the registry does not answer within the timeout. */
    List<String> tags(String repository) {
        TransportContext current = context.get();
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
