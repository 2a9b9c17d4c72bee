package hoist.engine.transport.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A layout kept as a directory. */
public record DirectoryFiles(Path root) implements LayoutFiles {

    @Override
    public InputStream open(String path) throws IOException {
        return Files.newInputStream(root.resolve(path));
    }

    @Override
    public boolean exists(String path) {
        return Files.isRegularFile(root.resolve(path));
    }

    @Override
    public String describe() {
        return root.toString();
    }
}
