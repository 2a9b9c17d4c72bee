package hoist.engine.transport.dir;

import hoist.engine.image.Digest;

/** File names of the dir format. */
final class DirLayout {

    static final String VERSION_FILE = "version";
    static final String VERSION = "Directory Transport Version: 1.1\n";
    static final String MANIFEST = "manifest.json";

    private DirLayout() {
    }

    static String blob(Digest digest) {
        return digest.algorithm().equals("sha256") ? digest.hex() : digest.algorithm() + "-" + digest.hex();
    }

    static String manifest(Digest instance) {
        return instance == null ? MANIFEST : instance.hex() + ".manifest.json";
    }

    /** The n-th (from 1) signature of the top level ({@code instance} null) or of an instance. */
    static String signature(Digest instance, int n) {
        return (instance == null ? "" : instance.hex() + ".") + "signature-" + n;
    }
}
