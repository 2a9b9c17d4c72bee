package hoist.engine.transport.dockerarchive;

import hoist.engine.HoistException;
import hoist.engine.transport.ReferencePaths;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.Transport;
import hoist.engine.transport.TransportContext;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code PATH[:NAME:TAG]} or {@code PATH:@N}: the path ends at the first colon; what follows names
 * an image by tag, or by its position (from 0) in manifest.json.
 */
public record DockerArchiveReference(Transport transport, Path path, DockerReference name, int index)
        implements ImageReference {

    static DockerArchiveReference parse(Transport transport, String details) {
        int colon = details.indexOf(':');
        String path = colon < 0 ? details : details.substring(0, colon);
        String rest = colon < 0 ? "" : details.substring(colon + 1);
        if (path.isEmpty()) {
            throw HoistException.usage("invalid reference \"docker-archive:" + details + "\": no path");
        }
        Path file = ReferencePaths.absolute(path, "docker-archive:" + details);
        if (rest.isEmpty()) {
            return new DockerArchiveReference(transport, file, null, -1);
        }
        if (rest.startsWith("@")) {
            try {
                int index = Integer.parseInt(rest.substring(1));
                if (index >= 0) {
                    return new DockerArchiveReference(transport, file, null, index);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw HoistException.usage("invalid reference \"docker-archive:" + details + "\": \"" + rest
                    + "\" is not @N with N a number from 0");
        }
        DockerReference name = DockerReference.parse(rest);
        if (name.digest() != null) {
            throw HoistException.usage("invalid reference \"docker-archive:" + details
                    + "\": an archive names images by tag, not by digest");
        }
        return new DockerArchiveReference(transport, file, name.withDefaultTag(), -1);
    }

    @Override
    public String details() {
        return path + (name != null ? ":" + name.familiar() : index >= 0 ? ":@" + index : "");
    }

    @Override
    public Optional<DockerReference> dockerReference() {
        return Optional.ofNullable(name);
    }

    @Override
    public ImageSource openSource(TransportContext context) throws IOException {
        return DockerArchiveSource.open(this, context);
    }

    @Override
    public ImageDestination openDestination(TransportContext context) throws IOException {
        if (index >= 0) {
            throw HoistException.usage(text() + ": @N selects an image to read; name the image to write with NAME:TAG");
        }
        return new DockerArchiveDestination(this, context);
    }

    @Override
    public String toString() {
        return text();
    }
}
