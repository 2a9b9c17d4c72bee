package hoist.engine.transport.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A layout directory whose blobs live in a directory shared by several layouts: {@code blobs/ALG/HEX}
 * is read from {@code blobDir/ALG/HEX}, every other file (oci-layout, index.json) from {@code root}.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">OCI image layout</a>
 */
public record SharedBlobFiles(Path root, Path blobDir) implements LayoutFiles {

    private static final String BLOBS = "blobs/";

    @Override
    public InputStream open(String path) throws IOException {
        return Files.newInputStream(resolve(path));
    }

    @Override
    public boolean exists(String path) {
        return Files.isRegularFile(resolve(path));
    }

    @Override
    public String describe() {
        return root.toString();
    }

    private Path resolve(String path) {
        return path.startsWith(BLOBS) ? blobDir.resolve(path.substring(BLOBS.length())) : root.resolve(path);
    }
}
