package hoist.engine.transport.ostree;

import hoist.engine.HoistException;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.ReferencePaths;
import hoist.engine.transport.Transport;
import hoist.engine.transport.TransportContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code ostree:IMAGE[@/ABSOLUTE/REPO]}: an image kept in an OSTree repository (default
 * {@value #DEFAULT_REPO}) as containers/image's ostree transport kept it: each layer's files as a
 * commit, the config and the manifest as commits of their own, under the refs
 * {@link OstreeBranches} names.
 *
 * @see <a href="https://github.com/containers/image/blob/v5.33.0/docs/containers-transports.5.md">containers-transports(5), ostree</a>
 */
public final class OstreeTransport implements Transport {

    static final String DEFAULT_REPO = "/ostree/repo";

    @Override
    public String name() {
        return "ostree";
    }

    /**
     * Parses {@code IMAGE[@/REPO]}: the repository is what follows the first {@code @/}; an image
     * name without tag or digest gets {@code :latest}, as containers/image adds it.
     *
     * @throws HoistException a usage error for a bad image name, or a repository path with a colon
     */
    @Override
    public ImageReference parse(String details) {
        int at = details.indexOf("@/");
        String image = at < 0 ? details : details.substring(0, at);
        String repo = at < 0 ? DEFAULT_REPO : details.substring(at + 1);
        if (image.isEmpty()) {
            throw HoistException.usage("invalid reference \"ostree:" + details + "\": no image name");
        }
        DockerReference name;
        try {
            name = DockerReference.parse(image);
        } catch (HoistException e) {
            throw HoistException.usage("invalid reference \"ostree:" + details + "\": " + e.getMessage());
        }
        if (name.tag() == null && name.digest() == null) {
            image = image + ":latest";
        }
        Path path = ReferencePaths.of(repo, "ostree:" + details).normalize();
        if (Files.exists(path)) {
            try {
                path = path.toRealPath();
            } catch (IOException e) {
                throw HoistException.usage("invalid reference \"ostree:" + details + "\": " + e.getMessage());
            }
        }
        if (path.toString().contains(":")) {
            throw HoistException.usage("invalid reference \"ostree:" + details + "\": the repository path " + path
                    + " contains a colon");
        }
        return new OstreeReference(this, image, path);
    }

    /** An image name (with a tag or digest) in a repository. */
    record OstreeReference(Transport transport, String image, Path repo) implements ImageReference {

        /** {@code IMAGE@/REPO}, the repository always written out. */
        @Override
        public String details() {
            return image + "@" + repo;
        }

        /** The ref of the image's manifest commit. */
        String branch() {
            return OstreeBranches.image(image);
        }

        @Override
        public ImageSource openSource(TransportContext context) throws IOException {
            return OstreeSource.open(this, context.tempDir());
        }

        @Override
        public ImageDestination openDestination(TransportContext context) throws IOException {
            return OstreeDestination.open(this, context.tempDir());
        }

        @Override
        public String toString() {
            return text();
        }
    }
}
