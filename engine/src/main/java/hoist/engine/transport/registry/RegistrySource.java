package hoist.engine.transport.registry;

import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.transport.BlobKnowledge;
import hoist.engine.io.DigestMismatchException;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;

import java.io.IOException;
import java.io.InputStream;

/** Reads an image from a registry. */
final class RegistrySource implements ImageSource {

    private final RegistryReference reference;
    private final RegistryClient client;
    private final BlobKnowledge knowledge;

    RegistrySource(RegistryReference reference, RegistryClient client, BlobKnowledge knowledge) {
        this.reference = reference;
        this.client = client;
        this.knowledge = knowledge;
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    /** By digest, the bytes must match it: a registry is not trusted to serve what was asked. */
    @Override
    public RawManifest manifest(Digest instance) throws IOException {
        Digest expected = instance != null ? instance : reference.name().digest();
        RawManifest manifest = client.manifest(expected != null ? expected.toString() : reference.name().tag());
        if (expected != null && !expected.matches(manifest.bytes())) {
            throw new DigestMismatchException(reference.text() + ": manifest " + expected + " does not match its content");
        }
        remember(manifest);
        return manifest;
    }

    /** The blobs of an image read here are known to be here: a push to the same registry can mount them. */
    private void remember(RawManifest manifest) {
        try {
            if (manifest.parse() instanceof ImageManifest image) {
                knowledge.seen(image.config().digest(), reference.location());
                image.layers().forEach(layer -> knowledge.seen(layer.digest(), reference.location()));
            }
        } catch (RuntimeException e) {
            // an unparseable manifest is reported by whoever reads it
        }
    }

    @Override
    public InputStream blob(Descriptor blob) throws IOException {
        return client.blob(blob.digest());
    }
}
