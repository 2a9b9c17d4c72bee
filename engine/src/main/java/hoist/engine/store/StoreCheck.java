package hoist.engine.store;

import hoist.engine.image.Digest;
import hoist.engine.image.Manifest;
import hoist.engine.image.DigestingInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Verifies the store: every blob's content against its name, and every image's references. */
final class StoreCheck {

    private final LocalStore store;

    StoreCheck(LocalStore store) {
        this.store = store;
    }

    List<String> run() throws IOException {
        List<String> problems = new ArrayList<>();
        checkBlobs(problems);
        for (StoredImage image : store.images()) {
            checkImage(image, problems);
        }
        return problems;
    }

    private void checkBlobs(List<String> problems) throws IOException {
        try (Stream<Path> files = Files.list(store.root().resolve("blobs").resolve("sha256"))) {
            for (Path file : files.sorted().toList()) {
                String hex = file.getFileName().toString();
                if (!Digest.isDigest("sha256:" + hex)) {
                    problems.add("stray file " + file + " in the blob directory");
                    continue;
                }
                Digest actual;
                try (InputStream in = Files.newInputStream(file)) {
                    DigestingInputStream digesting = new DigestingInputStream(in);
                    digesting.transferTo(OutputStream.nullOutputStream());
                    actual = digesting.digest();
                }
                if (!actual.hex().equals(hex)) {
                    problems.add("blob sha256:" + hex + " is corrupt: its content has digest " + actual);
                }
            }
        }
    }

    private void checkImage(StoredImage image, List<String> problems) throws IOException {
        String name = image.names().isEmpty() ? image.id().shortHex() : image.names().get(0);
        if (!store.hasBlob(image.manifestDigest(), -1)) {
            problems.add("image " + name + ": manifest " + image.manifestDigest() + " is missing");
            return;
        }
        Manifest manifest;
        try {
            manifest = store.readManifest(image);
        } catch (RuntimeException e) {
            problems.add("image " + name + ": manifest " + image.manifestDigest() + " does not parse: " + e.getMessage());
            return;
        }
        for (Digest digest : References.of(store.blobs(), manifest)) {
            if (!store.hasBlob(digest, -1)) {
                problems.add("image " + name + ": blob " + digest + " is missing");
            }
        }
    }
}
