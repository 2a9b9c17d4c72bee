package hoist.engine.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback in front of a server, counting the bytes each way, that breaks the
 * connection once when the bytes sent one way pass a threshold: a network failing in the middle
 * of a large upload or download. By default an upload is cut as the next request ({@code PATCH})
 * starts, before the server sees it, where the distribution registry can resume; with
 * {@link #startInsideRequest} it is cut wherever the threshold falls, inside a request body, where
 * the distribution registry abandons the upload and it must start again.
 */
public final class CuttingProxy implements AutoCloseable {

    /** Which way the bytes must flow for the cut. */
    public enum Direction { UPLOAD, DOWNLOAD }

    private final ServerSocket server;
    private final int targetPort;
    private final Direction direction;
    private final long cutAfter;
    private final boolean atRequestStart;
    private final AtomicLong uploaded = new AtomicLong();
    private final AtomicLong downloaded = new AtomicLong();
    private final AtomicBoolean cut = new AtomicBoolean();
    private volatile boolean closed;

    private CuttingProxy(int targetPort, Direction direction, long cutAfter, boolean atRequestStart) throws IOException {
        this.atRequestStart = atRequestStart;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.direction = direction;
        this.cutAfter = cutAfter;
        Thread acceptor = new Thread(this::accept, "cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Proxies to {@code 127.0.0.1:targetPort}, breaking one connection after {@code cutAfter} bytes in {@code direction}. */
    public static CuttingProxy start(int targetPort, Direction direction, long cutAfter) {
        try {
            return new CuttingProxy(targetPort, direction, cutAfter, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Proxies to {@code 127.0.0.1:targetPort}, breaking one upload connection in the middle of whatever it sends after {@code cutAfter} bytes. */
    public static CuttingProxy startInsideRequest(int targetPort, long cutAfter) {
        try {
            return new CuttingProxy(targetPort, Direction.UPLOAD, cutAfter, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    public long uploadedBytes() {
        return uploaded.get();
    }

    public long downloadedBytes() {
        return downloaded.get();
    }

    public boolean didCut() {
        return cut.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                pump(client, upstream, uploaded, Direction.UPLOAD);
                pump(upstream, client, downloaded, Direction.DOWNLOAD);
            } catch (IOException e) {
                // closed, or one failed connection: keep serving the others
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicLong counter, Direction way) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    long total = counter.addAndGet(n);
                    boolean cutHere = way == Direction.DOWNLOAD || !atRequestStart || startsWith(buffer, n, "PATCH ");
                    if (way == direction && total >= cutAfter && cutHere && cut.compareAndSet(false, true)) {
                        from.close();
                        to.close();
                        return;
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // the other side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "cutting-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static boolean startsWith(byte[] buffer, int length, String text) {
        byte[] prefix = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return length >= prefix.length && java.util.Arrays.equals(buffer, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
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
    }
}
