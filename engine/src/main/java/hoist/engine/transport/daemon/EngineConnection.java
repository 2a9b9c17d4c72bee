package hoist.engine.transport.daemon;

import hoist.engine.io.BulkInputStream;
import hoist.engine.HoistException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One connection to the daemon, used for one request: a unix domain socket (the JDK's own,
 * through {@link SocketChannel}) or a TCP socket, with TLS where the host asks for it.
 * {@link #close()} closes it, which is also how a request in progress is abandoned.
 */
final class EngineConnection implements Closeable {

    private static final int BUFFER = 64 * 1024;

    private final Closeable socket;
    private final InputStream in;
    private final OutputStream out;

    private EngineConnection(Closeable socket, InputStream in, OutputStream out) {
        this.socket = socket;
        this.in = new BufferedInputStream(in, BUFFER);
        this.out = new BufferedOutputStream(out, BUFFER);
    }

    /**
     * Connects; a daemon that cannot be reached (no socket, refused, unknown host, failed TLS
     * handshake) is a {@link HoistException} naming {@code DOCKER_HOST}.
     */
    static EngineConnection open(DockerHost host, SSLContext tls) {
        try {
            if (host.isUnixSocket()) {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.connect(UnixDomainSocketAddress.of(host.socketPath()));
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
                return new EngineConnection(channel, new ChannelInput(channel), new ChannelOutput(channel));
            }
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(host.host(), host.port()), 30_000);
                socket.setTcpNoDelay(true);
                if (tls != null) {
                    SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket, host.host(), host.port(), true);
                    if (host.verifyTls()) {
                        javax.net.ssl.SSLParameters parameters = secure.getSSLParameters();
                        parameters.setEndpointIdentificationAlgorithm("HTTPS");
                        secure.setSSLParameters(parameters);
                    }
                    secure.startHandshake();
                    socket = secure;
                }
            } catch (IOException e) {
                socket.close();
                throw e;
            }
            return new EngineConnection(socket, socket.getInputStream(), socket.getOutputStream());
        } catch (IOException e) {
            throw new HoistException("cannot connect to " + host.describe() + ": " + reason(e)
                    + "; is the daemon running?", e);
        }
    }

    private static String reason(IOException e) {
        String message = e.getMessage();
        if (e instanceof java.net.UnknownHostException) {
            return "unknown host " + message;
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    InputStream in() {
        return in;
    }

    OutputStream out() {
        return out;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * Reads straight from the channel. {@code Channels.newInputStream} is not used: it holds the
     * channel's blocking lock while reading, which would stop a concurrent write.
     */
    private static final class ChannelInput extends BulkInputStream {
        private final SocketChannel channel;

        ChannelInput(SocketChannel channel) {
            this.channel = channel;
        }


        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            int n;
            do {
                n = channel.read(ByteBuffer.wrap(buffer, offset, length));
            } while (n == 0);
            return n;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static final class ChannelOutput extends OutputStream {
        private final SocketChannel channel;

        ChannelOutput(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
