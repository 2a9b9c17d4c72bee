package hoist.shell.training;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry on a loopback port, in this process, speaking plain http/1.1: enough of the
 * distribution API for a push, a second push that finds everything there, an inspect and a tag
 * list. Blobs and upload sessions are files under a directory; nothing is checked but digests.
 * A TLS handshake is answered with a plain-http 400 at once, as Go's http server (the
 * distribution registry's) answers it, so a client with {@code --tls-verify=false} falls back to
 * http. It serves the training only, so the push path is recorded without a registry installed.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md">OCI distribution spec</a>
 */
final class TrainingRegistry implements AutoCloseable {

    private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([^/]*)");
    private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/(sha256:[a-f0-9]{64})");
    private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
    private static final Pattern TAGS = Pattern.compile("/v2/(.+)/tags/list");
    /** The first byte of a TLS handshake record. */
    private static final int TLS_HANDSHAKE = 0x16;

    private final ServerSocket server;
    private final Path blobs;
    private final Path uploads;
    /** "REPOSITORY:REFERENCE" (a tag or a digest) to the manifest stored there. */
    private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();

    private record Manifest(String mediaType, String digest, byte[] content) {
    }

    /** One request: method, path and query, lower-cased header names, and the body's stream. */
    private record Request(String method, URI uri, Map<String, String> headers, InputStream body) {
        String path() {
            return uri.getPath();
        }
    }

    /** One answer: status, headers, and a body that is either bytes or a file (both may be null). */
    private static final class Response {
        final Map<String, String> headers = new LinkedHashMap<>();
        int status = 200;
        byte[] body;
        Path file;
    }

    private TrainingRegistry(ServerSocket server, Path dir) throws IOException {
        this.server = server;
        this.blobs = Files.createDirectories(dir.resolve("blobs"));
        this.uploads = Files.createDirectories(dir.resolve("uploads"));
    }

    /** Starts a registry on a free loopback port, keeping its blobs under {@code dir}. */
    static TrainingRegistry start(Path dir) throws IOException {
        ServerSocket socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        TrainingRegistry registry = new TrainingRegistry(socket, dir);
        Thread accepting = new Thread(registry::accept, "training-registry");
        accepting.setDaemon(true);
        accepting.start();
        return registry;
    }

    /** {@code 127.0.0.1:PORT}, as a registry host in an image name. */
    String host() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread connection = new Thread(() -> serve(socket), "training-registry-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Answers the requests of one connection until the client closes it. */
    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            in.mark(1);
            if (in.read() == TLS_HANDSHAKE) {
                out.write("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            in.reset();
            while (true) {
                Request request = read(in);
                if (request == null) {
                    return;
                }
                Response response = new Response();
                try {
                    answer(request, response);
                } catch (RuntimeException e) {
                    response = new Response();
                    response.status = 500;
                }
                request.body().transferTo(OutputStream.nullOutputStream()); // what the handler left unread
                write(request, response, out);
            }
        } catch (IOException e) {
            // the client hung up
        }
    }

    private static Request read(InputStream in) throws IOException {
        String line = line(in);
        if (line == null || line.isEmpty()) {
            return null;
        }
        String[] parts = line.split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
            }
        }
        InputStream body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = new ChunkedBody(in);
        } else {
            long length = Long.parseLong(headers.getOrDefault("content-length", "0"));
            body = new LimitedBody(in, length);
        }
        return new Request(parts[0], URI.create(parts[1]), headers, body);
    }

    /** A line ending in CRLF, without it; null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void write(Request request, Response response, OutputStream out) throws IOException {
        long length = response.file != null ? Files.size(response.file) : response.body != null ? response.body.length : 0;
        StringBuilder head = new StringBuilder("HTTP/1.1 " + response.status + " " + reason(response.status) + "\r\n");
        response.headers.putIfAbsent("Content-Length", Long.toString(length));
        response.headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!request.method().equals("HEAD")) {
            if (response.file != null) {
                Files.copy(response.file, out);
            } else if (response.body != null) {
                out.write(response.body);
            }
        }
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            default -> "Internal Server Error";
        };
    }

    private void answer(Request request, Response response) throws IOException {
        String path = request.path();
        response.headers.put("Docker-Distribution-API-Version", "registry/2.0");
        Matcher m;
        if (path.equals("/v2/") || path.equals("/v2")) {
            json(response, 200, "{}");
        } else if ((m = UPLOAD.matcher(path)).matches()) {
            upload(request, response, m.group(1), m.group(2));
        } else if ((m = BLOB.matcher(path)).matches()) {
            blob(request, response, m.group(2));
        } else if ((m = MANIFEST.matcher(path)).matches()) {
            manifest(request, response, m.group(1), m.group(2));
        } else if ((m = TAGS.matcher(path)).matches()) {
            String name = m.group(1);
            String tags = String.join(",", manifests.keySet().stream().filter(k -> k.startsWith(name + ":"))
                    .map(k -> k.substring(name.length() + 1)).filter(t -> !t.startsWith("sha256:"))
                    .sorted().map(t -> "\"" + t + "\"").toList());
            json(response, 200, "{\"name\":\"" + name + "\",\"tags\":[" + tags + "]}");
        } else {
            error(response, 404, "NAME_UNKNOWN");
        }
    }

    private void upload(Request request, Response response, String name, String id) throws IOException {
        Map<String, String> query = query(request.uri());
        if (request.method().equals("POST")) {
            String mount = query.get("mount");
            if (mount != null && Files.exists(blobFile(mount))) {
                created(response, name, mount);
                return;
            }
            String session = UUID.randomUUID().toString();
            Files.write(uploads.resolve(session), new byte[0]);
            append(request, session);
            if (query.containsKey("digest")) {
                finish(response, name, session, query.get("digest"));
            } else {
                accepted(response, name, session, 202);
            }
            return;
        }
        Path file = uploads.resolve(id);
        if (id.isEmpty() || !Files.exists(file)) {
            error(response, 404, "BLOB_UPLOAD_UNKNOWN");
            return;
        }
        switch (request.method()) {
            case "PATCH" -> {
                append(request, id);
                accepted(response, name, id, 202);
            }
            case "PUT" -> {
                append(request, id);
                finish(response, name, id, query.get("digest"));
            }
            case "GET" -> accepted(response, name, id, 204);
            case "DELETE" -> {
                Files.deleteIfExists(file);
                response.status = 204;
            }
            default -> error(response, 405, "UNSUPPORTED");
        }
    }

    private void append(Request request, String session) throws IOException {
        try (OutputStream out = Files.newOutputStream(uploads.resolve(session), StandardOpenOption.APPEND)) {
            request.body().transferTo(out);
        }
    }

    private void finish(Response response, String name, String session, String digest) throws IOException {
        Path file = uploads.resolve(session);
        String actual;
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), sha256())) {
            in.transferTo(OutputStream.nullOutputStream());
            actual = "sha256:" + HexFormat.of().formatHex(in.getMessageDigest().digest());
        }
        if (!actual.equals(digest)) {
            Files.deleteIfExists(file);
            error(response, 400, "DIGEST_INVALID");
            return;
        }
        Files.move(file, blobFile(digest), StandardCopyOption.REPLACE_EXISTING);
        created(response, name, digest);
    }

    private static void created(Response response, String name, String digest) {
        response.status = 201;
        response.headers.put("Location", "/v2/" + name + "/blobs/" + digest);
        response.headers.put("Docker-Content-Digest", digest);
    }

    private void accepted(Response response, String name, String session, int status) throws IOException {
        long size = Files.size(uploads.resolve(session));
        response.status = status;
        response.headers.put("Location", "/v2/" + name + "/blobs/uploads/" + session);
        response.headers.put("Docker-Upload-UUID", session);
        response.headers.put("Range", "0-" + Math.max(0, size - 1));
    }

    private void blob(Request request, Response response, String digest) {
        Path file = blobFile(digest);
        if (!Files.exists(file)) {
            error(response, 404, "BLOB_UNKNOWN");
            return;
        }
        response.headers.put("Docker-Content-Digest", digest);
        response.headers.put("Content-Type", "application/octet-stream");
        response.file = file;
    }

    private void manifest(Request request, Response response, String name, String reference) throws IOException {
        if (request.method().equals("PUT")) {
            byte[] content = request.body().readAllBytes();
            String digest = "sha256:" + TrainingImage.sha256(content);
            Manifest stored = new Manifest(request.headers().get("content-type"), digest, content);
            manifests.put(name + ":" + reference, stored);
            manifests.put(name + ":" + digest, stored);
            response.status = 201;
            response.headers.put("Location", "/v2/" + name + "/manifests/" + digest);
            response.headers.put("Docker-Content-Digest", digest);
            return;
        }
        Manifest stored = manifests.get(name + ":" + reference);
        if (stored == null) {
            error(response, 404, "MANIFEST_UNKNOWN");
            return;
        }
        if (request.method().equals("DELETE")) {
            manifests.remove(name + ":" + reference);
            response.status = 202;
            return;
        }
        response.headers.put("Docker-Content-Digest", stored.digest());
        response.headers.put("Content-Type", stored.mediaType());
        response.body = stored.content();
    }

    private Path blobFile(String digest) {
        return blobs.resolve(digest.replace(':', '-'));
    }

    private static void json(Response response, int status, String json) {
        response.status = status;
        response.headers.put("Content-Type", "application/json");
        response.body = json.getBytes(StandardCharsets.UTF_8);
    }

    private static void error(Response response, int status, String code) {
        json(response, status, "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\""
                + code.toLowerCase(Locale.ROOT).replace('_', ' ') + "\"}]}");
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The next {@code length} bytes of the connection. */
    private static final class LimitedBody extends InputStream {
        private final InputStream in;
        private long left;

        LimitedBody(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n < 0) {
                throw new IOException("the request body ended early");
            }
            left -= n;
            return n;
        }
    }

    /** A body sent with {@code Transfer-Encoding: chunked}: hex sizes, each chunk, a last empty one. */
    private static final class ChunkedBody extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedBody(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                left = Long.parseLong(size == null ? "0" : size.split(";")[0].strip(), 16);
                if (left == 0) {
                    for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                        // trailers carry nothing a registry needs
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n < 0) {
                throw new IOException("the request body ended early");
            }
            left -= n;
            if (left == 0) {
                line(in); // the CRLF after each chunk
            }
            return n;
        }
    }
}
