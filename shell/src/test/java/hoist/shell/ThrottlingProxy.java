package hoist.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP proxy on loopback in front of a server that sends the server's answers at a set rate per
 * connection (requests pass at full speed): a slow link, so that a pull lasts long enough to be
 * interrupted at any moment of it. The rate can change while connections are open.
 */
final class ThrottlingProxy implements AutoCloseable {

    private static final int CHUNK = 8 * 1024;

    private final ServerSocket server;
    private final int targetPort;
    private volatile long bytesPerSecond;
    private volatile boolean closed;

    private ThrottlingProxy(int targetPort, long bytesPerSecond) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.bytesPerSecond = bytesPerSecond;
        Thread acceptor = new Thread(this::accept, "throttling-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Proxies to {@code 127.0.0.1:targetPort}, answers at {@code bytesPerSecond} per connection (0: unlimited). */
    static ThrottlingProxy start(int targetPort, long bytesPerSecond) {
        try {
            return new ThrottlingProxy(targetPort, bytesPerSecond);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:PORT}, for a {@code docker://} reference. */
    String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Sets the rate of answers, in bytes per second per connection; 0 for no limit. */
    void rate(long value) {
        this.bytesPerSecond = value;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                pump(client, upstream, false);
                pump(upstream, client, true);
            } catch (IOException e) {
                // closed, or one failed connection: keep serving the others
            }
        }
    }

    private void pump(Socket from, Socket to, boolean throttled) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[CHUNK];
            long started = System.nanoTime();
            long sent = 0;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    long rate = bytesPerSecond;
                    if (!throttled || rate <= 0) {
                        started = System.nanoTime();
                        sent = 0;
                        continue;
                    }
                    sent += n;
                    long due = started + sent * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                    } else if (wait < -200_000_000L) {
                        started = System.nanoTime(); // idle between requests: no credit for the pause
                        sent = 0;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the other side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "throttling-proxy-pump");
        thread.setDaemon(true);
        thread.start();
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
