package hoist.engine.transport.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.HoistException;
import hoist.engine.image.Json;

import javax.net.ssl.SSLContext;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small HTTP/1.1 client of the Docker Engine API: one connection per request, bodies streamed
 * both ways (chunked uploads, chunked or sized downloads), no request or response ever held
 * whole. The API version is negotiated once, as the docker client does: the daemon's
 * {@code Api-Version} from {@code GET /_ping}, capped at the newest version this client knows
 * ({@value #NEWEST_API}); daemons older than {@value #OLDEST_API} are refused.
 *
 * @see <a href="https://docs.docker.com/reference/api/engine/">Docker Engine API</a>
 */
final class EngineClient {

    /** The newest API version whose calls this client makes. */
    static final String NEWEST_API = "1.47";
    /** The oldest API version that has every call this client makes. */
    static final String OLDEST_API = "1.24";

    private final DockerHost host;
    private final SSLContext tls;
    private String apiVersion;

    EngineClient(DockerHost host) {
        this.host = host;
        this.tls = host.tls() ? DaemonTls.context(host) : null;
    }

    DockerHost host() {
        return host;
    }

    /** A response whose head has been read; its body streams from the connection, which closing it closes. */
    record Response(int status, Map<String, String> headers, InputStream body, EngineConnection connection)
            implements Closeable {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The daemon's own error text ({@code {"message": ...}}), or the status when it gave none. */
        String errorMessage() {
            try {
                byte[] bytes = body.readNBytes(64 * 1024);
                JsonNode node = Json.read(bytes);
                if (node != null && node.hasNonNull("message")) {
                    return node.get("message").asText();
                }
                String text = new String(bytes, StandardCharsets.UTF_8).strip();
                return text.isEmpty() ? "HTTP status " + status : text;
            } catch (IOException e) {
                return "HTTP status " + status;
            }
        }

        @Override
        public void close() throws IOException {
            connection.close();
        }
    }

    /**
     * A request whose body is being sent: write to {@link #body()}, then {@link #finish()} for the
     * answer. Closing it unfinished abandons the request (the connection is closed mid-body, so the
     * daemon sees a truncated upload and applies nothing).
     */
    static final class Upload implements Closeable {
        private final EngineConnection connection;
        private final HttpBody.ChunkedOutput body;
        private final TrackingOutput tracking;

        private Upload(EngineConnection connection) {
            this.connection = connection;
            this.tracking = new TrackingOutput(connection.out());
            this.body = new HttpBody.ChunkedOutput(tracking, 256 * 1024);
        }

        OutputStream body() {
            return body;
        }

        /** Whether a write to the connection failed: the daemon hung up, usually after answering with an error. */
        boolean connectionBroken() {
            return tracking.broken;
        }

        /** Ends the body and reads the answer's head. */
        Response finish() throws IOException {
            body.finish();
            return readResponse(connection);
        }

        /** The daemon's answer after it hung up in the middle of the body, when it gave one. */
        Response answerAfterHangUp() throws IOException {
            return readResponse(connection);
        }

        @Override
        public void close() throws IOException {
            connection.close();
        }
    }

    /** Counts a failed write as the daemon having hung up. */
    private static final class TrackingOutput extends java.io.FilterOutputStream {
        private volatile boolean broken;

        TrackingOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            try {
                out.write(bytes, offset, length);
            } catch (IOException e) {
                broken = true;
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                broken = true;
                throw e;
            }
        }
    }

    /** {@code GET /vX.Y{path}}; the caller closes the response. */
    Response get(String path) throws IOException {
        return send("GET", versioned(path), null);
    }

    /** {@code POST /vX.Y{path}} with a chunked body of {@code contentType}. */
    Upload post(String path, String contentType) throws IOException {
        String versioned = versioned(path);
        EngineConnection connection = EngineConnection.open(host, tls);
        try {
            writeHead(connection, "POST", versioned, Map.of("Content-Type", contentType, "Transfer-Encoding", "chunked"));
            return new Upload(connection);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** {@code GET} of a JSON document; a status other than 2xx is returned as null when it is 404, thrown otherwise. */
    JsonNode getJson(String path) throws IOException {
        try (Response response = get(path)) {
            if (response.status() == 404) {
                return null;
            }
            if (!response.ok()) {
                throw new HoistException(host.describe() + ": " + response.errorMessage());
            }
            return Json.read(response.body().readAllBytes());
        }
    }

    /** The API version used, negotiated on first use. */
    synchronized String apiVersion() {
        if (apiVersion == null) {
            negotiate();
        }
        return apiVersion;
    }

    /** The first exchange: any failure in it (a TLS alert, a hang-up, garbage) names DOCKER_HOST. */
    private void negotiate() {
        try (Response ping = send("GET", "/_ping", null)) {
            String offered = ping.headers().get("api-version");
            if (offered == null || offered.isBlank()) {
                if (!ping.ok()) {
                    throw new HoistException(host.describe() + " does not answer as a Docker daemon: " + ping.errorMessage());
                }
                apiVersion = OLDEST_API;
            } else if (compare(offered, OLDEST_API) < 0) {
                throw new HoistException(host.describe() + " offers Docker Engine API " + offered + "; hoist needs "
                        + OLDEST_API + " or newer");
            } else {
                apiVersion = compare(offered, NEWEST_API) < 0 ? offered.strip() : NEWEST_API;
            }
        } catch (IOException e) {
            throw new HoistException("cannot talk to " + host.describe() + ": " + e.getMessage(), e);
        }
    }

    /** Orders API versions {@code MAJOR.MINOR} numerically. */
    static int compare(String a, String b) {
        String[] x = a.strip().split("\\.");
        String[] y = b.strip().split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? parse(x[i]) : 0;
            int q = i < y.length ? parse(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    private static int parse(String part) {
        try {
            return Integer.parseInt(part);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private String versioned(String path) throws IOException {
        return "/v" + apiVersion() + path;
    }

    private Response send(String method, String path, Map<String, String> headers) throws IOException {
        EngineConnection connection = EngineConnection.open(host, tls);
        try {
            writeHead(connection, method, path, headers == null ? Map.of() : headers);
            connection.out().flush();
            return readResponse(connection);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private void writeHead(EngineConnection connection, String method, String path, Map<String, String> headers)
            throws IOException {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(host.isUnixSocket() ? "docker" : host.host() + ":" + host.port()).append("\r\n");
        head.append("User-Agent: hoist\r\n");
        head.append("Connection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        connection.out().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Response readResponse(EngineConnection connection) throws IOException {
        InputStream in = connection.in();
        String status;
        do {
            status = HttpBody.readLine(in);
            if (status == null) {
                throw new java.io.EOFException("the Docker daemon closed the connection without answering");
            }
            // 1xx answers (100 Continue) precede the real one
        } while (status.isEmpty() || status.matches("HTTP/1\\.\\d 1\\d\\d.*") && skipHeaders(in));
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer from the Docker daemon: " + status);
        }
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP answer from the Docker daemon: " + status);
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String line;
        while ((line = HttpBody.readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        InputStream body;
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("Transfer-Encoding", ""))) {
            body = new HttpBody.ChunkedInput(in);
        } else if (headers.containsKey("Content-Length")) {
            body = new HttpBody.Fixed(in, Long.parseLong(headers.get("Content-Length")));
        } else {
            body = in;
        }
        return new Response(code, headers, body, connection);
    }

    private static boolean skipHeaders(InputStream in) throws IOException {
        String line;
        while ((line = HttpBody.readLine(in)) != null && !line.isEmpty()) {
            // headers of an interim answer
        }
        return true;
    }
}
