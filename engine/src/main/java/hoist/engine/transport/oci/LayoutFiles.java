package hoist.engine.transport.oci;

import java.io.IOException;
import java.io.InputStream;

/** The files of an OCI layout, wherever they are kept: a directory, or a tar read in place. */
public interface LayoutFiles {

    /** Opens the file at a slash-separated path relative to the layout's root. */
    InputStream open(String path) throws IOException;

    boolean exists(String path);

    /** Names the layout in errors: the directory or the archive. */
    String describe();

    default byte[] readAll(String path) throws IOException {
        try (InputStream in = open(path)) {
            return in.readAllBytes();
        }
    }
}
