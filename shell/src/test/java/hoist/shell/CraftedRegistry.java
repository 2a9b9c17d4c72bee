package hoist.shell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A registry that answers from files, byte for byte, so that it can lie: a {@code routes} file
 * maps {@code METHOD PATH} (the path without its query) to a response file holding an HTTP
 * status line, headers, an empty line and the body. {@code Content-Length} is the body's length
 * unless the file sets it (then the connection closes after the body, as a server that lied about
 * it would); {@code {registry}} in a response is this server's {@code host:port}, {@code {other}}
 * a second listener's (another host, as far as the client can tell). A HEAD is answered as its
 * GET without the body; anything else gets a registry's 404.
 */
final class CraftedRegistry implements AutoCloseable {

    private final ServerSocket server;
    private final ServerSocket other;
    private final Map<String, Path> routes = new LinkedHashMap<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    /** Serves the answers {@code routesFile} names (response files relative to its directory). */
    CraftedRegistry(Path routesFile) throws IOException {
        for (String line : Files.readAllLines(routesFile)) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.strip().split(" ");
            routes.put(parts[0] + " " + parts[1], routesFile.resolveSibling(parts[2]));
        }
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        start(server, "crafted-registry");
        start(other, "crafted-registry-other-host");
    }

    /** Where the registry listens: {@code 127.0.0.1:PORT}. */
    String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** The other listener, named {@code localhost} so that it is another host by name. */
    String otherHost() {
        return "localhost:" + other.getLocalPort();
    }

    /** Every request received so far, as {@code METHOD PATH}, in order. */
    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void start(ServerSocket socket, String name) {
        Thread acceptor = new Thread(() -> accept(socket), name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket socket) {
        while (true) {
            try {
                Socket client = socket.accept();
                Thread t = new Thread(() -> serve(client), "crafted-registry-connection");
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
                String head = new String(RequestHead.read(in, first), StandardCharsets.ISO_8859_1);
                String[] request = head.split("\r\n")[0].split(" ");
                skipBody(in, head);
                String path = request[1].contains("?") ? request[1].substring(0, request[1].indexOf('?')) : request[1];
                requests.add(request[0] + " " + path);
                if (!respond(out, request[0], path)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Reads past a request body of a known length, so the next request on the connection can be read. */
    private static void skipBody(InputStream in, String head) throws IOException {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                in.skipNBytes(Long.parseLong(line.substring(line.indexOf(':') + 1).strip()));
            }
        }
    }

    /** Writes the answer; false when the connection is to be closed after it. */
    private boolean respond(OutputStream out, String method, String path) throws IOException {
        Path file = routes.get((method.equals("HEAD") ? "GET" : method) + " " + path);
        if (file == null) {
            byte[] body = "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"not here\"}]}".getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nDocker-Distribution-API-Version: registry/2.0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (!method.equals("HEAD")) {
                out.write(body);
            }
            out.flush();
            return true;
        }
        byte[] answer = Files.readAllBytes(file);
        int end = indexOf(answer, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        String head = new String(answer, 0, end, StandardCharsets.ISO_8859_1)
                .replace("{registry}", host()).replace("{other}", otherHost());
        byte[] body = java.util.Arrays.copyOfRange(answer, end + 4, answer.length);
        boolean lengthGiven = head.toLowerCase(Locale.ROOT).contains("\r\ncontent-length:");
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        response.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        if (!lengthGiven) {
            response.writeBytes(("\r\nContent-Length: " + body.length).getBytes(StandardCharsets.ISO_8859_1));
        }
        response.writeBytes("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (!method.equals("HEAD")) {
            response.writeBytes(body);
        }
        out.write(response.toByteArray());
        out.flush();
        return !lengthGiven;
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("a response file needs an empty line after its headers");
    }

    @Override
    public void close() throws IOException {
        server.close();
        other.close();
    }
}
