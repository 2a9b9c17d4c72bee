package hoist.engine.transport;

import hoist.engine.HoistException;
import hoist.engine.image.Digest;

import java.util.regex.Pattern;

/**
 * A Docker-style image name: {@code [domain[:port]/]path[:tag][@digest]}, normalized as docker and
 * podman normalize it ({@code alpine} is {@code docker.io/library/alpine}). {@code tag} and
 * {@code digest} may each be null.
 */
public record DockerReference(String domain, String path, String tag, Digest digest) {

    public static final String DOCKER_HUB = "docker.io";

    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?"
                    + "|\\[[0-9a-fA-F:]+\\](?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

    /** Parses and normalizes; a bad name is a usage error quoting it. */
    public static DockerReference parse(String text) {
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (IllegalArgumentException e) {
                throw HoistException.usage("invalid image reference \"" + text + "\": " + e.getMessage());
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > slash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw HoistException.usage("invalid image reference \"" + text + "\": bad tag \"" + tag + "\"");
            }
        }
        String domain;
        String path;
        int first = rest.indexOf('/');
        String head = first < 0 ? rest : rest.substring(0, first);
        if (first >= 0 && (head.contains(".") || head.contains(":") || head.equals("localhost") || head.startsWith("["))) {
            domain = head;
            path = rest.substring(first + 1);
        } else {
            domain = DOCKER_HUB;
            path = rest;
        }
        if (domain.equals("index.docker.io")) {
            domain = DOCKER_HUB;
        }
        if (domain.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        validate(text, domain, path);
        return new DockerReference(domain, path, tag, digest);
    }

    /** Whether the text names its registry (a dot, a port or {@code localhost} before the first slash). */
    public static boolean isQualified(String text) {
        int first = text.indexOf('/');
        if (first < 0) {
            return false;
        }
        String head = text.substring(0, first);
        return head.contains(".") || head.contains(":") || head.equals("localhost") || head.startsWith("[");
    }

    private static void validate(String text, String domain, String path) {
        if (!DOMAIN.matcher(domain).matches()) {
            throw HoistException.usage("invalid image reference \"" + text + "\": bad registry \"" + domain + "\"");
        }
        if (path.isEmpty()) {
            throw HoistException.usage("invalid image reference \"" + text + "\": no repository name");
        }
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw HoistException.usage("invalid image reference \"" + text + "\": repository name must be lowercase "
                        + "letters, digits and separators, got \"" + path + "\"");
            }
        }
        if (domain.length() + 1 + path.length() > 255) {
            throw HoistException.usage("invalid image reference \"" + text + "\": name longer than 255 characters");
        }
    }

    /** {@code domain/path}. */
    public String name() {
        return domain + "/" + path;
    }

    /** The same name with {@code latest} when neither tag nor digest is given. */
    public DockerReference withDefaultTag() {
        return tag == null && digest == null ? new DockerReference(domain, path, "latest", null) : this;
    }

    public DockerReference withTag(String newTag) {
        return new DockerReference(domain, path, newTag, null);
    }

    /**
     * Docker's familiar form: {@code alpine:latest} for {@code docker.io/library/alpine:latest},
     * {@code team/app} for {@code docker.io/team/app}; {@code library/} is dropped only before a
     * single component, as Docker drops it. A Docker Hub path whose first component would read
     * as a registry ({@code docker.io/a.b/c}) keeps {@code docker.io/}, so the familiar form
     * always parses back to this reference.
     */
    public String familiar() {
        if (!domain.equals(DOCKER_HUB) || isQualified(path)) {
            return name() + suffix();
        }
        String official = path.startsWith("library/") ? path.substring("library/".length()) : null;
        return (official != null && !official.contains("/") ? official : path) + suffix();
    }

    private String suffix() {
        return (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    @Override
    public String toString() {
        return name() + suffix();
    }
}
