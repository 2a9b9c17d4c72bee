package hoist.engine.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import hoist.engine.HoistException;
import hoist.engine.transport.DockerReference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code registries.d} configuration: per registry namespace, where signatures of its images
 * are kept apart from the registry (the lookaside store) and whether sigstore signatures are
 * attached to the image in the registry. Every {@code *.yaml} file of the directory is read;
 * {@code default-docker} may be set once, each {@code docker} namespace once.
 *
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-registries.d.5.md">containers-registries.d(5)</a>
 */
public final class RegistriesD {

    /**
     * One namespace's settings; each URL null when not set.
     *
     * @param lookaside              where signatures are read ({@code lookaside}, or its older name {@code sigstore})
     * @param lookasideStaging       where they are written ({@code lookaside-staging}/{@code sigstore-staging}), null: {@code lookaside}
     * @param useSigstoreAttachments whether sigstore signatures go to the registry as {@code sha256-HEX.sig} tags
     */
    public record Namespace(String lookaside, String lookasideStaging, Boolean useSigstoreAttachments) {

        String topLevel(boolean write) {
            if (write && lookasideStaging != null) {
                return lookasideStaging;
            }
            return lookaside;
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Namespace defaultDocker;
    private final Map<String, Namespace> docker;

    private RegistriesD(Namespace defaultDocker, Map<String, Namespace> docker) {
        this.defaultDocker = defaultDocker;
        this.docker = docker;
    }

    /** No configuration: no lookaside anywhere, no attachments. */
    public static RegistriesD empty() {
        return new RegistriesD(null, Map.of());
    }

    /**
     * The directory containers/image reads: {@code explicit} when given, else
     * {@code ~/.config/containers/registries.d} when it exists, else {@code /etc/containers/registries.d}.
     */
    public static Path defaultDirectory(Path explicit) {
        if (explicit != null) {
            return explicit;
        }
        Path user = Path.of(System.getProperty("user.home"), ".config", "containers", "registries.d");
        return Files.isDirectory(user) ? user : Path.of("/etc/containers/registries.d");
    }

    /**
     * Reads every {@code *.yaml} file of {@code dir}, in name order; a missing directory is no
     * configuration.
     *
     * @throws HoistException naming the file that does not parse or repeats a namespace
     */
    public static RegistriesD load(Path dir) throws IOException {
        if (dir == null || !Files.isDirectory(dir)) {
            return empty();
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
        Namespace defaultDocker = null;
        Map<String, Namespace> docker = new LinkedHashMap<>();
        for (Path file : files) {
            JsonNode root;
            try {
                root = YAML.readTree(file.toFile());
            } catch (IOException e) {
                throw new HoistException(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
            }
            if (root == null || root.isMissingNode() || root.isNull()) {
                continue;
            }
            if (root.has("default-docker")) {
                if (defaultDocker != null) {
                    throw new HoistException(file + ": default-docker is set in more than one file of " + dir);
                }
                defaultDocker = namespace(root.get("default-docker"), file, "default-docker");
            }
            JsonNode namespaces = root.path("docker");
            for (Iterator<Map.Entry<String, JsonNode>> it = namespaces.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (docker.containsKey(entry.getKey())) {
                    throw new HoistException(file + ": docker namespace " + entry.getKey() + " is set in more than one file of " + dir);
                }
                docker.put(entry.getKey(), namespace(entry.getValue(), file, "docker." + entry.getKey()));
            }
        }
        return new RegistriesD(defaultDocker, docker);
    }

    private static Namespace namespace(JsonNode node, Path file, String where) {
        if (node == null || node.isNull()) {
            return new Namespace(null, null, null);
        }
        if (!node.isObject()) {
            throw new HoistException(file + ": " + where + " is not a mapping");
        }
        String lookaside = text(node, "lookaside", file, where);
        String sigstore = text(node, "sigstore", file, where);
        String staging = text(node, "lookaside-staging", file, where);
        String sigstoreStaging = text(node, "sigstore-staging", file, where);
        if (lookaside != null && sigstore != null) {
            throw new HoistException(file + ": " + where + " sets both lookaside and its older name sigstore");
        }
        if (staging != null && sigstoreStaging != null) {
            throw new HoistException(file + ": " + where + " sets both lookaside-staging and its older name sigstore-staging");
        }
        Boolean attachments = node.has("use-sigstore-attachments") ? node.get("use-sigstore-attachments").asBoolean() : null;
        return new Namespace(lookaside != null ? lookaside : sigstore, staging != null ? staging : sigstoreStaging, attachments);
    }

    private static String text(JsonNode node, String field, Path file, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new HoistException(file + ": " + where + "." + field + " is not a string");
        }
        return value.asText();
    }

    /**
     * The lookaside base URL for {@code ref}'s repository (the namespace's URL plus
     * {@code /PATH}, the repository path without registry, tag or digest), or null when none is
     * configured. {@code write} prefers the staging URL.
     */
    public String lookasideBase(DockerReference ref, boolean write) {
        for (String scope : DockerScopes.of(ref)) {
            Namespace ns = docker.get(scope);
            if (ns != null && ns.topLevel(write) != null) {
                return trimSlash(ns.topLevel(write)) + "/" + ref.path();
            }
        }
        if (defaultDocker != null && defaultDocker.topLevel(write) != null) {
            return trimSlash(defaultDocker.topLevel(write)) + "/" + ref.path();
        }
        return null;
    }

    /** Whether sigstore signatures of {@code ref} are attached to the image in its registry. */
    public boolean useSigstoreAttachments(DockerReference ref) {
        for (String scope : DockerScopes.of(ref)) {
            Namespace ns = docker.get(scope);
            if (ns != null && ns.useSigstoreAttachments() != null) {
                return ns.useSigstoreAttachments();
            }
        }
        return defaultDocker != null && Boolean.TRUE.equals(defaultDocker.useSigstoreAttachments());
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
