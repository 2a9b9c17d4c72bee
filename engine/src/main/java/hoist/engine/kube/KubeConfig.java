package hoist.engine.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import hoist.engine.HoistException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The current context of a kubeconfig file, as kubectl reads it: the context named by
 * {@code current-context}, the cluster and the user that context names.
 *
 * @param file    the kubeconfig read
 * @param context the name of its current context
 * @param cluster where the API server is and how it is trusted
 * @param user    who the client is
 * @see <a href="https://kubernetes.io/docs/reference/config-api/kubeconfig.v1/">kubeconfig (v1)</a>
 */
public record KubeConfig(Path file, String context, Cluster cluster, User user) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * A cluster entry.
     *
     * @param name                        its name in the file
     * @param server                      the API server's URL ({@code https://HOST:PORT})
     * @param certificateAuthority        PEM of the CA that signs the server's certificate, from
     *                                    {@code certificate-authority-data} or the {@code certificate-authority}
     *                                    file; null: the system's CAs
     * @param insecureSkipTlsVerify       {@code insecure-skip-tls-verify}: the server's certificate is not checked
     */
    public record Cluster(String name, String server, byte[] certificateAuthority, boolean insecureSkipTlsVerify) {
    }

    /**
     * A user entry; each credential is null when the entry has none.
     *
     * @param name              its name in the file
     * @param token             the bearer token ({@code token}, or the content of {@code tokenFile})
     * @param clientCertificate PEM of the client certificate ({@code client-certificate-data} or the file)
     * @param clientKey         PEM of its private key ({@code client-key-data} or the file)
     * @param username          Basic authentication's user name
     * @param password          Basic authentication's password
     */
    public record User(String name, String token, byte[] clientCertificate, byte[] clientKey, String username,
                       String password) {

        @Override
        public String toString() {
            return "User[" + name + "]";
        }
    }

    /**
     * Where kubectl finds its configuration: the first existing file of {@code KUBECONFIG} (a
     * colon-separated list; hoist reads one file, not the merge of all), else
     * {@code $HOME/.kube/config}. Empty when neither exists.
     *
     * @param env  the environment ({@code KUBECONFIG}, {@code HOME})
     * @param home the home directory when {@code HOME} is not set
     */
    public static Optional<Path> locate(Map<String, String> env, Path home) {
        String list = env.get("KUBECONFIG");
        if (list != null && !list.isEmpty()) {
            for (String entry : list.split(":")) {
                if (!entry.isEmpty() && Files.exists(Path.of(entry))) {
                    return Optional.of(Path.of(entry));
                }
            }
            return Optional.empty();
        }
        String homeVar = env.get("HOME");
        Path config = (homeVar != null && !homeVar.isEmpty() ? Path.of(homeVar) : home).resolve(".kube").resolve("config");
        return Files.exists(config) ? Optional.of(config) : Optional.empty();
    }

    /** {@link #locate(Map, Path)} in this process's environment. */
    public static Optional<Path> locate() {
        return locate(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * The kubeconfig kubectl would use, read; an error when there is none.
     *
     * @throws HoistException when no kubeconfig exists, or {@link #load(Path)} fails
     */
    public static KubeConfig current() {
        return load(locate().orElseThrow(() -> new HoistException(
                "no kubeconfig: neither KUBECONFIG nor $HOME/.kube/config names an existing file")));
    }

    /**
     * Reads {@code file} and resolves its current context.
     *
     * @throws HoistException naming the file when it cannot be read or parsed, has no current
     *                        context, or the context, its cluster or its user is not defined in it
     */
    public static KubeConfig load(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var where = e.getLocation();
            throw new HoistException("the kubeconfig " + file + " is not valid YAML"
                    + (where != null ? " (line " + where.getLineNr() + ")" : "") + ": " + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        } catch (IOException e) {
            throw new HoistException("cannot read the kubeconfig " + file + ": " + reason(e), e);
        }
        if (root == null || !root.isObject()) {
            throw new HoistException("the kubeconfig " + file + " is not a kubeconfig (no YAML mapping)");
        }
        String current = root.path("current-context").asText("");
        if (current.isEmpty()) {
            throw new HoistException("the kubeconfig " + file + " has no current context (current-context); "
                    + "choose one with kubectl config use-context");
        }
        JsonNode context = named(root, "contexts", current).map(n -> n.path("context")).orElseThrow(() ->
                new HoistException("the kubeconfig " + file + ": the current context \"" + current + "\" is not defined in it"));
        String clusterName = context.path("cluster").asText("");
        String userName = context.path("user").asText("");
        JsonNode cluster = named(root, "clusters", clusterName).map(n -> n.path("cluster")).orElseThrow(() ->
                new HoistException("the kubeconfig " + file + ": the context \"" + current + "\" names cluster \""
                        + clusterName + "\", which is not defined in it"));
        JsonNode user = named(root, "users", userName).map(n -> n.path("user")).orElseThrow(() ->
                new HoistException("the kubeconfig " + file + ": the context \"" + current + "\" names user \""
                        + userName + "\", which is not defined in it"));
        String server = cluster.path("server").asText("");
        if (server.isEmpty()) {
            throw new HoistException("the kubeconfig " + file + ": cluster \"" + clusterName + "\" has no server");
        }
        Path base = file.toAbsolutePath().getParent();
        Cluster c = new Cluster(clusterName, server,
                dataOrFile(cluster, "certificate-authority-data", "certificate-authority", base, file),
                cluster.path("insecure-skip-tls-verify").asBoolean(false));
        byte[] tokenFile = dataOrFile(user, null, "tokenFile", base, file);
        String token = text(user, "token");
        if (token == null && tokenFile != null) {
            token = new String(tokenFile, java.nio.charset.StandardCharsets.UTF_8).strip();
        }
        User u = new User(userName, token,
                dataOrFile(user, "client-certificate-data", "client-certificate", base, file),
                dataOrFile(user, "client-key-data", "client-key", base, file),
                text(user, "username"), text(user, "password"));
        return new KubeConfig(file, current, c, u);
    }

    /** What went wrong reading a file, without repeating its name. */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private static Optional<JsonNode> named(JsonNode root, String list, String name) {
        for (JsonNode entry : root.path(list)) {
            if (name.equals(entry.path("name").asText(null))) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    private static String text(JsonNode node, String field) {
        String value = node.path(field).asText("");
        return value.isEmpty() ? null : value;
    }

    /** Base64 {@code dataField}, else the file {@code fileField} names (relative to the kubeconfig's directory). */
    private static byte[] dataOrFile(JsonNode node, String dataField, String fileField, Path base, Path kubeconfig) {
        if (dataField != null && text(node, dataField) != null) {
            try {
                return Base64.getDecoder().decode(text(node, dataField).replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new HoistException("the kubeconfig " + kubeconfig + ": " + dataField + " is not base64");
            }
        }
        String name = text(node, fileField);
        if (name == null) {
            return null;
        }
        Path path = base.resolve(name);
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new HoistException("the kubeconfig " + kubeconfig + ": cannot read " + fileField + " " + path + ": "
                    + HoistException.describe(e), e);
        }
    }
}
