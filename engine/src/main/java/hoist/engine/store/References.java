package hoist.engine.store;

import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.Manifest;
import hoist.engine.image.ManifestList;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/** The blobs a manifest needs, following a list into its instances. */
final class References {

    private References() {
    }

    static Set<Digest> of(BlobStore blobs, Manifest manifest) throws IOException {
        Set<Digest> digests = new LinkedHashSet<>();
        collect(blobs, manifest, digests);
        return digests;
    }

    private static void collect(BlobStore blobs, Manifest manifest, Set<Digest> digests) throws IOException {
        if (manifest instanceof ImageManifest image) {
            digests.add(image.config().digest());
            image.layers().forEach(l -> digests.add(l.digest()));
            return;
        }
        for (Descriptor instance : ((ManifestList) manifest).manifests()) {
            digests.add(instance.digest());
            if (blobs.has(instance.digest(), -1)) {
                collect(blobs, Manifest.parse(blobs.read(instance.digest()), instance.mediaType()), digests);
            }
        }
    }
}
