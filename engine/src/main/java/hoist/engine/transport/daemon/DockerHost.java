package hoist.engine.transport.daemon;

import hoist.engine.HoistException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the Docker Engine API listens, as the docker client reads it from the environment:
 * {@code DOCKER_HOST} ({@code unix:///var/run/docker.sock} when unset), and for TCP hosts
 * {@code DOCKER_TLS_VERIFY} (TLS, the daemon's certificate checked against {@code ca.pem}) or
 * {@code DOCKER_TLS} (TLS without that check), with {@code ca.pem}, {@code cert.pem} and
 * {@code key.pem} from {@code DOCKER_CERT_PATH} (default {@code ~/.docker}).
 *
 * @param text       the value as the user gave it (or the default), quoted in every error
 * @param socketPath the unix socket; null for TCP hosts
 * @param host       the TCP host name or address; null for a unix socket
 * @param port       the TCP port; -1 for a unix socket
 * @param tls        whether TCP connections use TLS
 * @param verifyTls  whether the daemon's certificate is checked (only with {@code tls})
 * @param certPath   the directory of {@code ca.pem}, {@code cert.pem}, {@code key.pem}; null without TLS
 * @see <a href="https://docs.docker.com/reference/cli/docker/#environment-variables">docker CLI environment variables</a>
 */
public record DockerHost(String text, Path socketPath, String host, int port, boolean tls, boolean verifyTls, Path certPath) {

    /** The daemon's socket when {@code DOCKER_HOST} is not set. */
    public static final String DEFAULT = "unix:///var/run/docker.sock";

    /** Reads {@code DOCKER_HOST} and the TLS variables from the process environment. */
    public static DockerHost fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Reads the host from {@code env} (names as above). A value that is not {@code unix://PATH},
     * {@code tcp://HOST[:PORT]}, {@code http://...} or {@code https://...} is a usage error naming
     * {@code DOCKER_HOST}.
     */
    public static DockerHost fromEnvironment(Map<String, String> env) {
        String text = env.getOrDefault("DOCKER_HOST", "");
        if (text.isBlank()) {
            text = DEFAULT;
        }
        boolean verify = !env.getOrDefault("DOCKER_TLS_VERIFY", "").isEmpty();
        boolean tls = verify || !env.getOrDefault("DOCKER_TLS", "").isEmpty();
        String certDir = env.getOrDefault("DOCKER_CERT_PATH", "");
        Path certPath = certDir.isEmpty() ? Path.of(System.getProperty("user.home"), ".docker") : Path.of(certDir);
        return parse(text, tls, verify, certPath);
    }

    static DockerHost parse(String text, boolean tls, boolean verify, Path certPath) {
        if (text.startsWith("unix://")) {
            String path = text.substring("unix://".length());
            if (path.isEmpty()) {
                throw HoistException.usage("DOCKER_HOST=" + text + " names no socket");
            }
            return new DockerHost(text, Path.of(path), null, -1, false, false, null);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw HoistException.usage("DOCKER_HOST=" + text + " is not unix://PATH or tcp://HOST:PORT");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        boolean useTls = switch (scheme) {
            case "tcp" -> tls;
            case "https" -> true;
            case "http" -> false;
            default -> throw HoistException.usage("DOCKER_HOST=" + text + " is not unix://PATH or tcp://HOST:PORT"
                    + (scheme.equals("npipe") || scheme.equals("ssh") ? " (" + scheme + ":// is not supported)" : ""));
        };
        if (uri.getHost() == null) {
            throw HoistException.usage("DOCKER_HOST=" + text + " names no host");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : useTls ? 2376 : 2375;
        boolean check = useTls && (verify || scheme.equals("https") && !tls);
        return new DockerHost(text, null, uri.getHost(), port, useTls, check, useTls ? certPath : null);
    }

    /** Whether the daemon is reached over a unix socket. */
    public boolean isUnixSocket() {
        return socketPath != null;
    }

    /** {@code DOCKER_HOST=...}, the way errors name the daemon. */
    public String describe() {
        return "the Docker daemon at " + text + " (DOCKER_HOST)";
    }
}
