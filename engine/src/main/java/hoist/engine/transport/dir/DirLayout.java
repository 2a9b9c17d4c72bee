package hoist.engine.transport.dir;

import hoist.engine.image.Digest;

/** File names of the dir format. */
final class DirLayout {

    static final String VERSION_FILE = "version";
    static final String VERSION = "Directory Transport Version: 1.1\n";
    static final String MANIFEST = "manifest.json";
    /** Every name a file of a dir: image has: version, manifests, blobs, signatures, of the top level or an instance. */
    static final String FILE_NAMES = "version|manifest\\.json|(?:[a-z0-9]+-)?[0-9a-f]{32,}|[0-9a-f]{64}\\.manifest\\.json"
            + "|(?:[0-9a-f]{64}\\.)?signature-[0-9]+";

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
