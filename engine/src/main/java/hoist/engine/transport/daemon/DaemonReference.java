package hoist.engine.transport.daemon;

import hoist.engine.HoistException;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.Transport;
import hoist.engine.transport.TransportContext;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image of the Docker daemon: by name, or by image ID (its config digest) for reading. The
 * forms are containers/image's: {@code NAME:TAG} or {@code NAME@DIGEST} (a name without a
 * registry gets {@code docker.io/}, and without a namespace {@code library/}; a name alone is
 * refused, since the daemon would read it as every tag of the repository; a tag and a digest
 * together are refused), and {@code sha256:ID} with the full 64 hex digits. hoist also reads an
 * ID by a unique prefix, {@code sha256:PREFIX} or a bare hex {@code PREFIX}, which containers/image
 * refuses (a bare hex string is otherwise a name without a tag, refused as above).
 * Writing needs a {@code NAME:TAG}.
 *
 * @param name     the image's name with a tag or a digest; null for an ID reference
 * @param idPrefix lowercase hex, 1 to 64 digits of the image ID without {@code sha256:}; null for a name
 * @param bare     whether the ID was given without {@code sha256:}, kept for the canonical text
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-transports.5.md">containers-transports(5)</a>
 */
public record DaemonReference(Transport transport, DockerReference name, String idPrefix, boolean bare)
        implements ImageReference {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{1,64}");
    private static final Pattern OTHER_DIGEST = Pattern.compile("(sha384|sha512):[0-9a-fA-F]*");

    static DaemonReference parse(Transport transport, String details) {
        if (details.isEmpty()) {
            throw HoistException.usage("invalid reference \"docker-daemon:\": no image name or ID");
        }
        if (details.startsWith("sha256:")) {
            String hex = details.substring("sha256:".length());
            if (!HEX.matcher(hex).matches()) {
                throw HoistException.usage("invalid reference \"docker-daemon:" + details
                        + "\": an image ID is sha256: and up to 64 lowercase hex digits");
            }
            return new DaemonReference(transport, null, hex, false);
        }
        if (OTHER_DIGEST.matcher(details).matches()) {
            throw HoistException.usage("invalid reference \"docker-daemon:" + details + "\": image IDs are sha256 digests");
        }
        if (HEX.matcher(details).matches()) {
            return new DaemonReference(transport, null, details, true);
        }
        DockerReference name;
        try {
            name = DockerReference.parse(details);
        } catch (HoistException e) {
            throw HoistException.usage("invalid reference \"docker-daemon:" + details + "\": " + e.getMessage());
        }
        if (name.tag() == null && name.digest() == null) {
            throw HoistException.usage("invalid reference \"docker-daemon:" + details
                    + "\": it has neither a tag nor a digest (write " + details + ":latest for the latest tag)");
        }
        if (name.tag() != null && name.digest() != null) {
            throw HoistException.usage("invalid reference \"docker-daemon:" + details
                    + "\": a tag and a digest together are not supported");
        }
        if (name.name().equals(DockerReference.DOCKER_HUB + "/library/sha256")) {
            throw HoistException.usage("invalid reference \"docker-daemon:" + details
                    + "\": the repository name sha256 is reserved for image IDs");
        }
        return new DaemonReference(transport, name, null, false);
    }

    /** Whether this names the image by (a prefix of) its ID. */
    public boolean isId() {
        return idPrefix != null;
    }

    /** Whether this is a full image ID rather than a prefix. */
    public boolean isFullId() {
        return idPrefix != null && idPrefix.length() == 64;
    }

    @Override
    public String details() {
        if (idPrefix != null) {
            return bare ? idPrefix : "sha256:" + idPrefix;
        }
        return name.familiar();
    }

    @Override
    public Optional<DockerReference> dockerReference() {
        return Optional.ofNullable(name);
    }

    @Override
    public ImageSource openSource(TransportContext context) throws IOException {
        return DaemonSource.open(this, new EngineClient(DockerHost.fromEnvironment()));
    }

    @Override
    public ImageDestination openDestination(TransportContext context) throws IOException {
        if (name == null || name.tag() == null) {
            throw HoistException.usage(text() + ": an image is written to the Docker daemon by NAME:TAG, not by "
                    + (name == null ? "ID" : "digest"));
        }
        return DaemonDestination.open(this, new EngineClient(DockerHost.fromEnvironment()), context);
    }

    @Override
    public String toString() {
        return text();
    }
}
