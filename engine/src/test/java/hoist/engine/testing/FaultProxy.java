package hoist.engine.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * An HTTP/1.1 proxy on loopback in front of a server that breaks chosen requests the ways a
 * network and an overloaded registry do. Each {@linkplain #on rule} names a method, a pattern
 * found in the request target, which of the matching requests it hits (the Nth, and how many after
 * it) and the {@link Fault}: reset the connection after N bytes of the request body or of the
 * response body, answer a status of its own (500, 502, 503, 429 with or without
 * {@code Retry-After}), stall, or redirect. {@link #throttle} limits the bytes per second of every
 * body both ways. {@link #startTls} is a byte-level proxy in front of a TLS server that hangs up
 * the first connections in the middle of their handshake. Every request head that reaches the
 * proxy is kept ({@link #requests}), so a test can see what was sent where.
 *
 * <p>It understands only what the registry conversation needs: requests and answers framed by
 * {@code Content-Length}, chunked transfer encoding, or (answers) the end of the connection.
 *
 * @see CuttingProxy the same idea as a plain byte threshold, without reading HTTP
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9112">RFC 9112, HTTP/1.1</a>
 */
public final class FaultProxy implements AutoCloseable {

    /** What happens to a request a rule hits. */
    public sealed interface Fault {
    }

    /** The proxy answers {@code status} itself (the request body is read and dropped); {@code retryAfter} null: no such header. */
    public record Respond(int status, String retryAfter) implements Fault {
    }

    /** The request head and {@code bytes} bytes of its body go through, then the connection is reset both ways. */
    public record ResetRequestAfter(long bytes) implements Fault {
    }

    /** The answer's head and {@code bytes} bytes of its body come back, then the connection is reset both ways. */
    public record ResetResponseAfter(long bytes) implements Fault {
    }

    /** The request is held {@code duration} before it goes on. */
    public record Stall(Duration duration) implements Fault {
    }

    /** The proxy answers {@code 307} to the URL {@code location} makes of the request target. */
    public record Redirect(Function<String, String> location) implements Fault {
    }

    /** A request head as it reached the proxy, at {@code arrived} ({@link System#nanoTime()}). */
    public record Request(String method, String target, List<String> headers, long arrived) {
        /** The first value of header {@code name} (any case), or null. */
        public String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            for (String line : headers) {
                if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                    return line.substring(prefix.length()).strip();
                }
            }
            return null;
        }
    }

    private record Rule(String method, Pattern target, int first, int times, Fault fault, AtomicInteger seen,
                        AtomicInteger hits) {
        /** Whether this request matches the rule and is one of those it hits; counts it when it matches. */
        boolean counts(String requestMethod, String requestTarget) {
            if (!method.equals("*") && !method.equalsIgnoreCase(requestMethod)) {
                return false;
            }
            if (!target.matcher(requestTarget).find()) {
                return false;
            }
            int n = seen.incrementAndGet();
            return n >= first && n < first + times;
        }
    }

    private final ServerSocket server;
    private final int targetPort;
    private final boolean tls;
    private final int handshakesToDrop;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger droppedHandshakes = new AtomicInteger();
    private final AtomicInteger resets = new AtomicInteger();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile long bytesPerSecond;
    private volatile boolean closed;

    private FaultProxy(int targetPort, boolean tls, int handshakesToDrop) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.tls = tls;
        this.handshakesToDrop = handshakesToDrop;
        Thread acceptor = new Thread(this::accept, "fault-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** An HTTP proxy to {@code 127.0.0.1:targetPort}, passing everything until rules are added. */
    public static FaultProxy start(int targetPort) {
        try {
            return new FaultProxy(targetPort, false, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A byte proxy to the TLS server on {@code 127.0.0.1:targetPort} that hangs up the first
     * {@code handshakesToDrop} connections after the client's hello has reached the server and
     * before the server's answer reaches the client (the first with a reset, the second with a
     * plain close, alternately); the later ones pass untouched.
     */
    public static FaultProxy startTls(int targetPort, int handshakesToDrop) {
        try {
            return new FaultProxy(targetPort, true, handshakesToDrop);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Adds a rule: requests with {@code method} ({@code *} for any) whose target contains a match
     * of {@code targetPattern} are counted, and the {@code first}-th (1 for the first) and the
     * {@code times - 1} after it get {@code fault}. Earlier rules are asked first; the first that
     * hits decides. Returns this proxy.
     */
    public FaultProxy on(String method, String targetPattern, int first, int times, Fault fault) {
        rules.add(new Rule(method, Pattern.compile(targetPattern), first, times, fault, new AtomicInteger(), new AtomicInteger()));
        return this;
    }

    /** Limits every body passing through, each way, to about {@code value} bytes per second (0: no limit). Returns this proxy. */
    public FaultProxy throttle(long value) {
        this.bytesPerSecond = value;
        return this;
    }

    /** {@code 127.0.0.1:PORT} of the proxy. */
    public String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** How many requests the rules have hit so far (a reset whose body ended first counts too: see {@link #resets}). */
    public int faultsInjected() {
        return rules.stream().mapToInt(r -> r.hits().get()).sum();
    }

    /** How many connections a {@link ResetRequestAfter} or {@link ResetResponseAfter} has reset (its bytes ran out before the body's end). */
    public int resets() {
        return resets.get();
    }

    /** How many TLS handshakes were dropped. */
    public int handshakesDropped() {
        return droppedHandshakes.get();
    }

    /** Every request head seen, in order of arrival. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread thread = new Thread(() -> {
                    try {
                        if (tls) {
                            relayTls(client);
                        } else {
                            serve(client);
                        }
                    } catch (IOException e) {
                        // one connection failed: the others go on
                    } finally {
                        reset(client);
                    }
                }, "fault-proxy-connection");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void relayTls(Socket client) throws IOException {
        try (Socket upstream = connectUpstream()) {
            if (connections.incrementAndGet() <= handshakesToDrop) {
                byte[] hello = new byte[16 * 1024];
                int n = client.getInputStream().read(hello);
                if (n > 0) {
                    upstream.getOutputStream().write(hello, 0, n);
                    upstream.getOutputStream().flush();
                    upstream.getInputStream().read(new byte[16 * 1024]); // the server's hello, never delivered
                }
                // the first drop resets the connection, the next closes it quietly, and so on: a
                // client sees both a reset and the peer's end in the middle of its handshake
                if (droppedHandshakes.incrementAndGet() % 2 == 0) {
                    client.close();
                }
                reset(upstream);
                return;
            }
            Thread back = new Thread(() -> {
                try {
                    upstream.getInputStream().transferTo(client.getOutputStream());
                } catch (IOException e) {
                    // either side went away
                } finally {
                    reset(client);
                }
            }, "fault-proxy-tls");
            back.setDaemon(true);
            back.start();
            try {
                client.getInputStream().transferTo(upstream.getOutputStream());
            } catch (IOException e) {
                // either side went away
            }
        }
    }

    private Socket connectUpstream() throws IOException {
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        open.add(upstream);
        return upstream;
    }

    /** One client connection: request after request, each passed on, answered or broken as the rules say. */
    private void serve(Socket client) throws IOException {
        InputStream fromClient = new BufferedInputStream(client.getInputStream());
        OutputStream toClient = client.getOutputStream();
        Socket upstream = null;
        InputStream fromUpstream = null;
        try {
            while (true) {
                Head request = Head.read(fromClient);
                if (request == null) {
                    return;
                }
                requests.add(new Request(request.method(), request.target(), request.headerLines(), System.nanoTime()));
                Fault fault = null;
                for (Rule rule : rules) { // every rule counts the requests it matches; the first that hits decides
                    if (rule.counts(request.method(), request.target()) && fault == null) {
                        fault = rule.fault();
                        rule.hits().incrementAndGet();
                    }
                }
                if (fault instanceof Stall stall) {
                    sleep(stall.duration().toMillis());
                }
                if (fault instanceof Respond respond) {
                    copyBody(request, fromClient, OutputStream.nullOutputStream(), -1);
                    answer(toClient, respond.status(), respond.retryAfter() == null ? List.of()
                            : List.of("Retry-After: " + respond.retryAfter()));
                    hangUp(client, fromClient);
                    return;
                }
                if (fault instanceof Redirect redirect) {
                    copyBody(request, fromClient, OutputStream.nullOutputStream(), -1);
                    answer(toClient, 307, List.of("Location: " + redirect.location().apply(request.target())));
                    hangUp(client, fromClient);
                    return;
                }
                if (upstream == null) {
                    upstream = connectUpstream();
                    fromUpstream = new BufferedInputStream(upstream.getInputStream());
                }
                OutputStream toUpstream = upstream.getOutputStream();
                toUpstream.write(request.bytes());
                long requestBudget = fault instanceof ResetRequestAfter cut ? cut.bytes() : -1;
                if (!copyBody(request, fromClient, toUpstream, requestBudget)) {
                    resets.incrementAndGet();
                    reset(upstream);
                    return;
                }
                toUpstream.flush();
                Head response = Head.read(fromUpstream);
                if (response == null) {
                    return;
                }
                toClient.write(response.bytes());
                long responseBudget = fault instanceof ResetResponseAfter cut ? cut.bytes() : -1;
                boolean whole = request.method().equals("HEAD") || !response.hasBody()
                        ? budgetAllows(responseBudget)
                        : copyBody(response, fromUpstream, toClient, responseBudget);
                toClient.flush();
                if (!whole) {
                    resets.incrementAndGet();
                }
                if (!whole || response.closesConnection()) {
                    reset(upstream);
                    return;
                }
            }
        } finally {
            if (upstream != null) {
                reset(upstream);
            }
        }
    }

    /**
     * Ends a connection after an answer of the proxy's own: no more is sent, and the client reads
     * the whole answer before the connection closes (a reset could discard it unread).
     */
    private static void hangUp(Socket client, InputStream fromClient) throws IOException {
        client.shutdownOutput();
        client.setSoTimeout(5000);
        try {
            fromClient.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the client went away
        }
        client.close();
    }

    private static boolean budgetAllows(long budget) {
        return budget != 0;
    }

    private static void answer(OutputStream out, int status, List<String> headers) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " " + reason(status) + "\r\n");
        byte[] body = ("{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"injected " + status + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 307 -> "Temporary Redirect";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    /**
     * Copies the body that follows {@code head} from {@code in} to {@code out}; with {@code budget}
     * 0 or more, stops after that many bytes and returns false (the caller resets the connection).
     */
    private boolean copyBody(Head head, InputStream in, OutputStream out, long budget) throws IOException {
        Budget left = new Budget(budget);
        String length = head.header("Content-Length");
        if ("chunked".equalsIgnoreCase(head.header("Transfer-Encoding"))) {
            while (true) {
                byte[] sizeLine = readLine(in);
                if (!left.copy(sizeLine, out)) {
                    return false;
                }
                String hex = new String(sizeLine, StandardCharsets.US_ASCII).strip();
                int semicolon = hex.indexOf(';');
                long size = Long.parseLong(semicolon < 0 ? hex : hex.substring(0, semicolon), 16);
                if (size == 0) {
                    while (true) { // trailers, then the empty line
                        byte[] line = readLine(in);
                        if (!left.copy(line, out)) {
                            return false;
                        }
                        if (line.length <= 2) {
                            return true;
                        }
                    }
                }
                if (!copyExactly(in, out, size + 2, left)) {
                    return false;
                }
            }
        }
        if (length != null) {
            return copyExactly(in, out, Long.parseLong(length), left);
        }
        if (head.isRequest()) {
            return true; // a request without a length has no body
        }
        return copyExactly(in, out, Long.MAX_VALUE, left);
    }

    private boolean copyExactly(InputStream in, OutputStream out, long count, Budget left) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long done = 0;
        long started = System.nanoTime();
        while (done < count) {
            long rate = bytesPerSecond;
            int want = (int) Math.min(buffer.length, count - done);
            if (rate > 0) {
                want = (int) Math.max(1, Math.min(want, rate / 20));
            }
            int n = in.read(buffer, 0, want);
            if (n < 0) {
                if (count == Long.MAX_VALUE) {
                    return true;
                }
                throw new IOException("the body ended early");
            }
            int allowed = left.take(n);
            out.write(buffer, 0, allowed);
            if (allowed < n) {
                out.flush();
                return false;
            }
            done += n;
            if (rate > 0) {
                long due = started + done * 1_000_000_000L / rate;
                long early = due - System.nanoTime();
                if (early > 0) {
                    out.flush();
                    sleep(early / 1_000_000);
                }
            }
        }
        return true;
    }

    /** Bytes of a body still allowed through before a reset; negative: no limit. */
    private static final class Budget {
        private long left;

        Budget(long left) {
            this.left = left;
        }

        /** How many of {@code n} bytes may go; after it the budget is spent. */
        int take(int n) {
            if (left < 0) {
                return n;
            }
            int allowed = (int) Math.min(n, left);
            left -= allowed;
            return allowed;
        }

        boolean copy(byte[] bytes, OutputStream out) throws IOException {
            int allowed = take(bytes.length);
            out.write(bytes, 0, allowed);
            return allowed == bytes.length;
        }
    }

    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed inside a line");
            }
            line.write(b);
            if (previous == '\r' && b == '\n') {
                return line.toByteArray();
            }
            previous = b;
        }
    }

    /** A request or answer head: its start line, its header lines, and its bytes as they came. */
    private record Head(String startLine, List<String> headerLines, byte[] bytes) {
        /** The next head on {@code in}, or null when the connection ends before one begins. */
        static Head read(InputStream in) throws IOException {
            int first = in.read();
            if (first < 0) {
                return null;
            }
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            raw.write(first);
            int matched = first == '\r' ? 1 : 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the connection closed inside a head");
                }
                raw.write(b);
                matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            }
            byte[] bytes = raw.toByteArray();
            List<String> lines = new ArrayList<>(List.of(new String(bytes, StandardCharsets.ISO_8859_1).split("\r\n")));
            String start = lines.remove(0);
            return new Head(start, lines, bytes);
        }

        boolean isRequest() {
            return !startLine.startsWith("HTTP/");
        }

        String method() {
            return startLine.split(" ")[0];
        }

        String target() {
            String[] parts = startLine.split(" ");
            return parts.length > 1 ? parts[1] : "";
        }

        int status() {
            return Integer.parseInt(startLine.split(" ")[1]);
        }

        boolean hasBody() {
            int status = status();
            return status >= 200 && status != 204 && status != 304;
        }

        boolean closesConnection() {
            return "close".equalsIgnoreCase(header("Connection"));
        }

        String header(String name) {
            return new Request("", "", headerLines, 0).header(name);
        }
    }

    /** Closes {@code socket} with a TCP reset, as a broken network or a killed peer does. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed
        }
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(Math.max(0, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        for (Socket socket : open) {
            reset(socket);
        }
    }
}
