package hoist.shell;

import hoist.engine.image.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A read-only registry speaking the distribution API on loopback (plain http) for one image whose
 * manifest is an unsigned Docker schema 1 manifest ({@code application/vnd.docker.distribution.manifest.v1+json}),
 * which the distribution registry refuses to store: its blobs come from a {@code dir:} layout.
 * A TLS hello is answered as a plain HTTP server answers one, with a 400, so clients fall back to http.
 */
final class Schema1Server implements AutoCloseable {

    static final String UNSIGNED = "application/vnd.docker.distribution.manifest.v1+json";

    private final ServerSocket server;
    private final String repository;
    private final byte[] manifest;
    private final Path blobs;

    /** Serves {@code manifest} as {@code REPOSITORY:latest} (and by its digest), blobs from {@code blobs}/HEX. */
    Schema1Server(String repository, byte[] manifest, Path blobs) throws IOException {
        this.repository = repository;
        this.manifest = manifest;
        this.blobs = blobs;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "schema1-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (true) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> serve(client), "schema1-server-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            int first;
            while ((first = in.read()) >= 0) {
                if (!Character.isLetter(first)) {
                    out.write("HTTP/1.0 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    return;
                }
                String[] request = new String(RequestHead.read(in, first), StandardCharsets.ISO_8859_1).split("\r\n")[0].split(" ");
                respond(out, request[0], request[1]);
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private void respond(OutputStream out, String method, String path) throws IOException {
        String prefix = "/v2/" + repository + "/";
        byte[] body = null;
        String type = "application/json";
        Path file = null;
        if (path.equals("/v2/") || path.equals("/v2")) {
            body = "{}".getBytes(StandardCharsets.UTF_8);
        } else if (path.equals(prefix + "manifests/latest") || path.equals(prefix + "manifests/" + Digest.sha256(manifest))) {
            body = manifest;
            type = UNSIGNED;
        } else if (path.startsWith(prefix + "blobs/sha256:")) {
            file = blobs.resolve(path.substring((prefix + "blobs/sha256:").length()));
            type = "application/octet-stream";
        }
        if (body == null && (file == null || !Files.isRegularFile(file))) {
            byte[] error = "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"not here\"}]}".getBytes(StandardCharsets.UTF_8);
            write(out, "404 Not Found", "application/json", error.length, method, null, error);
            return;
        }
        long length = body != null ? body.length : Files.size(file);
        write(out, "200 OK", type, length, method, file, body);
    }

    private void write(OutputStream out, String status, String type, long length, String method, Path file, byte[] body)
            throws IOException {
        String headers = "HTTP/1.1 " + status + "\r\nContent-Type: " + type + "\r\nContent-Length: " + length
                + "\r\nDocker-Distribution-API-Version: registry/2.0\r\n"
                + (type.equals(UNSIGNED) ? "Docker-Content-Digest: " + Digest.sha256(manifest) + "\r\n" : "") + "\r\n";
        out.write(headers.getBytes(StandardCharsets.ISO_8859_1));
        if (!method.equals("HEAD")) {
            if (file != null) {
                Files.copy(file, out);
            } else {
                out.write(body);
            }
        }
        out.flush();
    }


    @Override
    public void close() throws IOException {
        server.close();
    }
}
