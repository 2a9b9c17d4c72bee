package hoist.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a real registry that refuses OCI manifests and indexes, as registries
 * that store only Docker schema2 do (older Quay, Artifactory and OpenShift configurations): a
 * {@code PUT} of one is answered {@code 400} with {@code MANIFEST_INVALID} and never reaches the
 * registry. Every other byte passes through as it is (a TLS hello too, so the registry itself
 * answers it).
 */
final class OciRefusingProxy implements AutoCloseable {

    private static final Set<String> REFUSED = Set.of("application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json");
    private static final byte[] REFUSAL_BODY = "{\"errors\":[{\"code\":\"MANIFEST_INVALID\",\"message\":\"manifest invalid\",\"detail\":{}}]}"
            .getBytes(StandardCharsets.UTF_8);

    private final ServerSocket server;
    private final int targetPort;
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean closed;

    OciRefusingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "oci-refusing-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** How many manifests were refused. */
    int refused() {
        return refused.get();
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
        Thread t = new Thread(r, "oci-refusing-proxy-connection");
        t.setDaemon(true);
        t.start();
    }

    /** Upstream's bytes to the client, as they come. */
    private static void pump(Socket from, Socket to) {
        try (from; to) {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed
        }
    }

    /** Reads the client's requests one by one, refusing OCI manifest PUTs and passing the rest on. */
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
                String text = new String(head, StandardCharsets.ISO_8859_1);
                String[] lines = text.split("\r\n");
                String[] requestLine = lines[0].split(" ");
                long length = 0;
                boolean chunked = false;
                String type = "";
                for (String line : lines) {
                    String lower = line.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Long.parseLong(line.substring(15).strip());
                    } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                        chunked = true;
                    } else if (lower.startsWith("content-type:")) {
                        type = line.substring(13).split(";")[0].strip();
                    }
                }
                boolean refuse = requestLine[0].equals("PUT") && requestLine[1].contains("/manifests/") && REFUSED.contains(type);
                OutputStream body = refuse ? OutputStream.nullOutputStream() : up;
                if (!refuse) {
                    up.write(head);
                }
                RequestHead.copyBody(in, body, length, chunked);
                if (refuse) {
                    refused.incrementAndGet();
                    OutputStream out = client.getOutputStream();
                    out.write(("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: "
                            + REFUSAL_BODY.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(REFUSAL_BODY);
                    out.flush();
                }
                up.flush();
                int next = in.read();
                head = next < 0 ? null : RequestHead.read(in, next);
            }
        } catch (IOException e) {
            // one side closed
        }
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
