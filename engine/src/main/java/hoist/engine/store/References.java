package hoist.engine.store;

import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.Manifest;
import hoist.engine.image.ManifestList;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.Set;

/** The blobs a manifest needs, following a list into its instances. */
final class References {

    private References() {
    }

    static Set<Digest> of(LocalStore store, Manifest manifest) throws IOException {
        Set<Digest> digests = new LinkedHashSet<>();
        collect(store, manifest, digests);
        return digests;
    }

    private static void collect(LocalStore store, Manifest manifest, Set<Digest> digests) throws IOException {
        if (manifest instanceof ImageManifest image) {
            digests.add(image.config().digest());
            image.layers().forEach(l -> digests.add(l.digest()));
            return;
        }
        for (Descriptor instance : ((ManifestList) manifest).manifests()) {
            digests.add(instance.digest());
            if (store.hasBlob(instance.digest(), -1)) {
                try (InputStream in = store.openBlob(instance.digest())) {
                    collect(store, Manifest.parse(in.readAllBytes(), instance.mediaType()), digests);
                }
            }
        }
    }
}
