package hoist.engine.transport.ociarchive;

import hoist.engine.archive.TarIndex;
import hoist.engine.transport.oci.LayoutFiles;

import java.io.IOException;
import java.io.InputStream;

/** A layout's files read straight out of a tar. */
record TarFiles(TarIndex index) implements LayoutFiles {

    @Override
    public InputStream open(String path) throws IOException {
        return index.open(path);
    }

    @Override
    public boolean exists(String path) {
        return index.find(path).isPresent();
    }

    @Override
    public String describe() {
        return index.tarFile().toString();
    }
}
