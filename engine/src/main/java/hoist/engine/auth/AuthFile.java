package hoist.engine.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.HoistException;
import hoist.engine.image.Json;
import hoist.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One auth.json / config.json: {@code auths} by registry (host, or host/namespace for narrower
 * entries), {@code credHelpers} by registry, and a default {@code credsStore}. Written mode 0600.
 */
public final class AuthFile {

    private final Path path;
    private final ObjectNode root;

    private AuthFile(Path path, ObjectNode root) {
        this.path = path;
        this.root = root;
    }

    /**
     * Checks an auth file the user named ({@code --authfile}): it must exist, as podman and skopeo
     * require for every command but login (which creates it). Returns {@code path}; null stays null.
     *
     * @throws HoistException naming the file when it is missing or not a regular file
     */
    public static Path requireNamed(Path path) {
        if (path != null && !Files.isRegularFile(path)) {
            throw new HoistException("--authfile " + path + ": " + (Files.isDirectory(path) ? "is a directory" : "no such file")
                    + " (hoist login --authfile " + path + " creates it)");
        }
        return path;
    }

    public static AuthFile read(Path path) throws IOException {
        if (!Files.exists(path)) {
            return new AuthFile(path, JsonNodeFactory.instance.objectNode());
        }
        try {
            JsonNode node = Json.read(Files.readAllBytes(path));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return new AuthFile(path, JsonNodeFactory.instance.objectNode());
            }
            if (!node.isObject()) {
                throw new HoistException(path + ": not a JSON object");
            }
            for (String table : List.of("auths", "credHelpers")) {
                if (node.has(table) && !node.get(table).isObject()) {
                    throw new HoistException(path + ": \"" + table + "\" must be a JSON object");
                }
            }
            return new AuthFile(path, (ObjectNode) node);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new HoistException(path + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    public Path path() {
        return path;
    }

    /**
     * The stored credentials for a registry key ({@code host[:port]} or a longer
     * {@code host/namespace/repo} entry), without asking helpers.
     */
    public Optional<Credentials> stored(String key) {
        JsonNode entry = root.path("auths").path(key);
        if (entry.isMissingNode()) {
            entry = legacyEntry(key);
        }
        if (entry == null || entry.isMissingNode()) {
            return Optional.empty();
        }
        String identity = entry.path("identitytoken").asText("");
        if (!identity.isEmpty()) {
            return Optional.of(new Credentials(Credentials.IDENTITY_TOKEN_USER, identity));
        }
        String auth = entry.path("auth").asText("");
        if (auth.isEmpty()) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HoistException(path + ": the entry for " + key + " is not valid base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new HoistException(path + ": the entry for " + key + " is not user:password");
        }
        return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }

    /** Docker's config.json may key entries by URL ({@code https://index.docker.io/v1/}). */
    private JsonNode legacyEntry(String key) {
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("auths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String host = e.getKey().replaceFirst("^https?://", "").replaceFirst("/.*$", "");
            if (host.equals(key) || (key.equals("docker.io") && host.equals("index.docker.io"))) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The credential helper for a registry: its own entry in credHelpers, else credsStore. */
    public Optional<String> helper(String registry) {
        String specific = root.path("credHelpers").path(registry).asText("");
        if (!specific.isEmpty()) {
            return Optional.of(specific);
        }
        String store = root.path("credsStore").asText("");
        return store.isEmpty() ? Optional.empty() : Optional.of(store);
    }

    public void put(String key, Credentials credentials) {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        if (credentials.isIdentityToken()) {
            entry.put("identitytoken", credentials.secret());
        } else {
            entry.put("auth", credentials.basicToken());
        }
        auths().set(key, entry);
    }

    /** Removes a registry's entry; false when there was none. */
    public boolean remove(String key) {
        return auths().remove(key) != null;
    }

    public void removeAll() {
        root.remove("auths");
    }

    private ObjectNode auths() {
        JsonNode auths = root.get("auths");
        if (auths instanceof ObjectNode o) {
            return o;
        }
        return root.putObject("auths");
    }

    /** Writes the file atomically, readable by its owner only. */
    public void write() throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = AtomicFiles.tempBeside(path);
        try {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            Files.write(temp, Json.pretty(root).getBytes(StandardCharsets.UTF_8));
            AtomicFiles.force(temp);
            AtomicFiles.move(temp, path);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
