package hoist.engine.transport.oci;

import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.InvalidManifestException;
import hoist.engine.image.Manifest;
import hoist.engine.image.ManifestFormat;
import hoist.engine.image.ManifestList;
import hoist.engine.image.MediaTypes;
import hoist.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Deleting an image from an OCI layout: its index.json entry goes first (atomically), then the
 * blobs that no remaining entry reaches through its manifests, lists and configs. A crash between
 * the two leaves unreferenced blobs, never an entry without its blobs.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">OCI image layout</a>
 */
final class OciDeletion {

    private OciDeletion() {
    }

    static void delete(OciReference reference) throws IOException {
        Path root = reference.path();
        DirectoryFiles files = new DirectoryFiles(root);
        ManifestList index = OciLayout.readIndex(files);
        Descriptor target = OciLayout.find(index, reference.ref(), reference.text());
        List<Descriptor> kept = index.manifests().stream().filter(d -> d != target).toList();
        AtomicFiles.write(root.resolve(OciLayout.INDEX_FILE), ManifestList.of(ManifestFormat.OCI, kept, index.annotations()).raw());
        Set<Digest> live = reachable(files, kept);
        Path blobs = root.resolve("blobs");
        if (!Files.isDirectory(blobs)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(blobs, 2)) {
            for (Path blob : walk.filter(Files::isRegularFile).toList()) {
                String text = blob.getParent().getFileName() + ":" + blob.getFileName();
                if (Digest.isDigest(text) && !live.contains(Digest.parse(text))) {
                    Files.deleteIfExists(blob);
                }
            }
        }
    }

    /** Every blob the entries reach: manifests, lists' children, configs, layers. */
    private static Set<Digest> reachable(DirectoryFiles files, List<Descriptor> entries) throws IOException {
        Set<Digest> live = new HashSet<>();
        Deque<Descriptor> pending = new ArrayDeque<>(entries);
        while (!pending.isEmpty()) {
            Descriptor next = pending.pop();
            if (!live.add(next.digest()) || !MediaTypes.ALL_MANIFESTS.contains(next.mediaType())
                    || !files.exists(OciLayout.blobPath(next.digest()))) {
                continue;
            }
            Manifest manifest;
            try {
                manifest = Manifest.parse(files.readAll(OciLayout.blobPath(next.digest())), next.mediaType());
            } catch (InvalidManifestException e) {
                continue; // not something this layout's images need to be read through
            }
            if (manifest instanceof ManifestList list) {
                pending.addAll(list.manifests());
            } else if (manifest instanceof ImageManifest image) {
                live.add(image.config().digest());
                image.layers().forEach(layer -> live.add(layer.digest()));
            }
        }
        return live;
    }
}
