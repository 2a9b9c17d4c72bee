package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry with OpenShift's signature extension: a TCP proxy in front of a real distribution
 * registry (which has no such extension) that answers {@code GET /v2/} itself with
 * {@code X-Registry-Supports-Signatures: 1}, and {@code GET}/{@code PUT}
 * {@code /extensions/v2/NAME/signatures/DIGEST} from a map of its own, speaking the extension's
 * JSON ({@code {"signatures":[{"schemaVersion":2,"name":…,"type":"atomic","content":BASE64}]}},
 * {@code 201 Created} for a PUT). Every other request passes to the registry as it is.
 */
final class SignatureExtensionProxy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerSocket server;
    private final int targetPort;
    /** The entries stored, by {@code NAME/signatures/DIGEST} path. */
    private final Map<String, List<JsonNode>> entries = new ConcurrentHashMap<>();
    private volatile boolean closed;

    SignatureExtensionProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "signature-extension-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** The entries stored for the manifest {@code digest} of {@code repository}, as the clients PUT them. */
    List<JsonNode> entries(String repository, String digest) {
        return entries.getOrDefault(repository + "/signatures/" + digest, List.of());
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                daemon(() -> pump(upstream, client));
                daemon(() -> requests(client, upstream));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "signature-extension-proxy-connection");
        t.setDaemon(true);
        t.start();
    }

    private static void pump(Socket from, Socket to) {
        try (from; to) {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed
        }
    }

    /** The client's requests one by one: the API root and the extension answered here, the rest passed on. */
    private void requests(Socket client, Socket upstream) {
        try (client; upstream) {
            InputStream in = client.getInputStream();
            OutputStream up = upstream.getOutputStream();
            int first = in.read();
            if (first < 0) {
                return;
            }
            if (!Character.isLetter(first)) { // not HTTP (a TLS hello): the registry answers it
                up.write(first);
                in.transferTo(up);
                return;
            }
            byte[] head = RequestHead.read(in, first);
            while (head != null) {
                String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
                String[] requestLine = lines[0].split(" ");
                String method = requestLine[0];
                String path = requestLine[1].split("\\?")[0];
                long length = 0;
                boolean chunked = false;
                for (String line : lines) {
                    String lower = line.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Long.parseLong(line.substring(15).strip());
                    } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                        chunked = true;
                    }
                }
                boolean root = method.equals("GET") && path.equals("/v2/");
                boolean extension = path.startsWith("/extensions/v2/");
                if (root || extension) {
                    ByteArrayOutputStream body = new ByteArrayOutputStream();
                    if (chunked) {
                        throw new IOException("a chunked request to the signature extension");
                    }
                    RequestHead.copyBody(in, body, length, false);
                    answer(client.getOutputStream(), root ? reply(200, "{}") : extension(method, path.substring(15), body.toByteArray()));
                } else {
                    up.write(head);
                    RequestHead.copyBody(in, up, length, chunked);
                    up.flush();
                }
                int next = in.read();
                head = next < 0 ? null : RequestHead.read(in, next);
            }
        } catch (IOException e) {
            // one side closed
        }
    }

    private record Reply(int status, String body) {
    }

    private static Reply reply(int status, String body) {
        return new Reply(status, body);
    }

    private Reply extension(String method, String key, byte[] body) throws IOException {
        if (!key.contains("/signatures/sha256:")) {
            return reply(404, "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"not found\"}]}");
        }
        if (method.equals("GET")) {
            ObjectNode list = JSON.createObjectNode();
            ArrayNode signatures = list.putArray("signatures");
            entries(key).forEach(signatures::add);
            return reply(200, JSON.writeValueAsString(list));
        }
        if (method.equals("PUT")) {
            JsonNode entry = JSON.readTree(body);
            String digest = key.substring(key.lastIndexOf('/') + 1);
            if (entry.path("schemaVersion").asInt() != 2 || !entry.path("name").asText().startsWith(digest + "@")
                    || !entry.path("content").isTextual()) {
                return reply(400, "{\"errors\":[{\"code\":\"SIGNATURE_INVALID\",\"message\":\"bad signature\"}]}");
            }
            entries.computeIfAbsent(key, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(entry);
            return reply(201, "");
        }
        return reply(405, "");
    }

    private List<JsonNode> entries(String key) {
        return entries.getOrDefault(key, List.of());
    }

    private static void answer(OutputStream out, Reply reply) throws IOException {
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + reply.status() + " " + (reply.status() < 300 ? "OK" : "Error") + "\r\n"
                + "Content-Type: application/json\r\nDocker-Distribution-Api-Version: registry/2.0\r\n"
                + "X-Registry-Supports-Signatures: 1\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
