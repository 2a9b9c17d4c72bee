package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry in memory on loopback (plain http) that offers what the distribution registry here
 * (2.8) does not: the OCI 1.1 referrers API ({@code GET /v2/NAME/referrers/DIGEST}, with the
 * {@code artifactType} filter and {@code OCI-Filters-Applied}) and {@code OCI-Subject} on the answer
 * to a manifest {@code PUT} whose manifest names a {@code subject}. Besides those it speaks just
 * enough of the distribution API for a push and a pull: blob uploads ({@code POST}, {@code PATCH},
 * {@code PUT ?digest=}), blob and manifest reads, manifest writes, tag lists.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers">OCI distribution spec: listing referrers</a>
 */
final class ReferrersApiRegistry implements AutoCloseable {

    private static final String INDEX = "application/vnd.oci.image.index.v1+json";

    private record Stored(byte[] bytes, String mediaType) {
    }

    private final HttpServer server;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
    /** REPOSITORY@REF (a tag or a digest) -> the manifest. */
    private final Map<String, Stored> manifests = new ConcurrentHashMap<>();
    private final Map<String, List<String>> tags = new ConcurrentHashMap<>();
    /** REPOSITORY@SUBJECT -> the referrers' descriptors, in the order they were put. */
    private final Map<String, List<ObjectNode>> referrers = new ConcurrentHashMap<>();
    private final AtomicInteger referrerQueries = new AtomicInteger();

    ReferrersApiRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.start();
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many times the referrers API was asked. */
    int referrerQueries() {
        return referrerQueries.get();
    }

    /** The tags of {@code repository}, in the order first written. */
    List<String> tags(String repository) {
        return List.copyOf(tags.getOrDefault(repository, List.of()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (path.equals("/v2/") || path.equals("/v2")) {
                send(exchange, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            for (String kind : List.of("/blobs/uploads/", "/blobs/uploads", "/manifests/", "/blobs/", "/referrers/", "/tags/list")) {
                int at = path.indexOf(kind, 4);
                if (at > 4) {
                    String repository = path.substring(4, at);
                    String rest = URLDecoder.decode(path.substring(at + kind.length()), StandardCharsets.UTF_8);
                    route(exchange, method, kind.startsWith("/blobs/uploads") ? "uploads" : kind.replace("/", ""), repository, rest, body);
                    return;
                }
            }
            error(exchange, 404, "NAME_UNKNOWN");
        }
    }

    private void route(HttpExchange exchange, String method, String kind, String repository, String rest, byte[] body)
            throws IOException {
        switch (kind) {
            case "uploads" -> upload(exchange, method, repository, rest, body);
            case "blobs" -> {
                byte[] blob = blobs.get(rest);
                if (blob == null) {
                    error(exchange, 404, "BLOB_UNKNOWN");
                    return;
                }
                exchange.getResponseHeaders().set("Docker-Content-Digest", rest);
                if (method.equals("HEAD")) {
                    exchange.getResponseHeaders().set("Content-Length", String.valueOf(blob.length));
                    exchange.sendResponseHeaders(200, -1);
                } else {
                    send(exchange, 200, "application/octet-stream", blob);
                }
            }
            case "manifests" -> manifest(exchange, method, repository, rest, body);
            case "referrers" -> listReferrers(exchange, repository, rest);
            case "tagslist" -> {
                ObjectNode list = JsonNodeFactory.instance.objectNode();
                list.put("name", repository);
                ArrayNode names = list.putArray("tags");
                tags(repository).forEach(names::add);
                send(exchange, 200, "application/json", Json.write(list));
            }
            default -> error(exchange, 404, "UNSUPPORTED");
        }
    }

    private void upload(HttpExchange exchange, String method, String repository, String session, byte[] body) throws IOException {
        String location = "/v2/" + repository + "/blobs/uploads/";
        if (method.equals("POST")) {
            String id = UUID.randomUUID().toString();
            uploads.put(id, new ByteArrayOutputStream());
            exchange.getResponseHeaders().set("Location", location + id);
            exchange.getResponseHeaders().set("Range", "0-0");
            exchange.getResponseHeaders().set("Docker-Upload-UUID", id);
            exchange.sendResponseHeaders(202, -1);
            return;
        }
        ByteArrayOutputStream received = uploads.get(session);
        if (received == null) {
            error(exchange, 404, "BLOB_UPLOAD_UNKNOWN");
            return;
        }
        switch (method) {
            case "PATCH", "GET" -> {
                received.write(body);
                exchange.getResponseHeaders().set("Location", location + session);
                exchange.getResponseHeaders().set("Range", "0-" + Math.max(0, received.size() - 1));
                exchange.sendResponseHeaders(method.equals("GET") ? 204 : 202, -1);
            }
            case "PUT" -> {
                received.write(body);
                String query = exchange.getRequestURI().getQuery();
                String digest = query == null ? "" : query.replaceFirst(".*digest=([^&]*).*", "$1");
                byte[] bytes = received.toByteArray();
                if (!Digest.sha256(bytes).toString().equals(digest)) {
                    error(exchange, 400, "DIGEST_INVALID");
                    return;
                }
                uploads.remove(session);
                blobs.put(digest, bytes);
                exchange.getResponseHeaders().set("Location", "/v2/" + repository + "/blobs/" + digest);
                exchange.getResponseHeaders().set("Docker-Content-Digest", digest);
                exchange.sendResponseHeaders(201, -1);
            }
            case "DELETE" -> {
                uploads.remove(session);
                exchange.sendResponseHeaders(204, -1);
            }
            default -> error(exchange, 405, "UNSUPPORTED");
        }
    }

    private void manifest(HttpExchange exchange, String method, String repository, String ref, byte[] body) throws IOException {
        if (method.equals("PUT")) {
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            Digest digest = Digest.sha256(body);
            Stored stored = new Stored(body, type);
            manifests.put(repository + "@" + digest, stored);
            manifests.put(repository + "@" + ref, stored);
            if (!Digest.isDigest(ref)) {
                List<String> names = tags.computeIfAbsent(repository, r -> new ArrayList<>());
                synchronized (names) {
                    if (!names.contains(ref)) {
                        names.add(ref);
                    }
                }
            }
            JsonNode manifest = Json.read(body);
            if (manifest.has("subject")) {
                String subject = manifest.path("subject").path("digest").asText();
                ObjectNode descriptor = JsonNodeFactory.instance.objectNode();
                descriptor.put("mediaType", type);
                descriptor.put("digest", digest.toString());
                descriptor.put("size", body.length);
                String artifactType = manifest.path("artifactType").asText(manifest.path("config").path("mediaType").asText(null));
                if (artifactType != null) {
                    descriptor.put("artifactType", artifactType);
                }
                if (manifest.has("annotations")) {
                    descriptor.set("annotations", manifest.get("annotations"));
                }
                List<ObjectNode> list = referrers.computeIfAbsent(repository + "@" + subject, s -> new ArrayList<>());
                synchronized (list) {
                    list.removeIf(d -> d.path("digest").asText().equals(digest.toString()));
                    list.add(descriptor);
                }
                exchange.getResponseHeaders().set("OCI-Subject", subject);
            }
            exchange.getResponseHeaders().set("Location", "/v2/" + repository + "/manifests/" + digest);
            exchange.getResponseHeaders().set("Docker-Content-Digest", digest.toString());
            exchange.sendResponseHeaders(201, -1);
            return;
        }
        Stored stored = manifests.get(repository + "@" + ref);
        if (stored == null) {
            error(exchange, 404, "MANIFEST_UNKNOWN");
            return;
        }
        exchange.getResponseHeaders().set("Docker-Content-Digest", Digest.sha256(stored.bytes()).toString());
        if (method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Type", stored.mediaType());
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        send(exchange, 200, stored.mediaType(), stored.bytes());
    }

    private void listReferrers(HttpExchange exchange, String repository, String subject) throws IOException {
        referrerQueries.incrementAndGet();
        String query = exchange.getRequestURI().getRawQuery();
        String artifactType = query != null && query.startsWith("artifactType=")
                ? URLDecoder.decode(query.substring("artifactType=".length()), StandardCharsets.UTF_8) : null;
        ObjectNode index = JsonNodeFactory.instance.objectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", INDEX);
        ArrayNode entries = index.putArray("manifests");
        List<ObjectNode> listed = referrers.getOrDefault(repository + "@" + subject, List.of());
        synchronized (listed) {
            listed.stream().filter(d -> artifactType == null || artifactType.equals(d.path("artifactType").asText()))
                    .forEach(entries::add);
        }
        if (artifactType != null) {
            exchange.getResponseHeaders().set("OCI-Filters-Applied", "artifactType");
        }
        send(exchange, 200, INDEX, Json.write(index));
    }

    private static void error(HttpExchange exchange, int status, String code) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", code.toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        send(exchange, status, "application/json", Json.write(Json.mapper().valueToTree(Map.of("errors", List.of(error)))));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Docker-Distribution-API-Version", "registry/2.0");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, body.length == 0 || head ? -1 : body.length);
        if (head) {
            return;
        }
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
