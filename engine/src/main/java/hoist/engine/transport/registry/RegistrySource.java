package hoist.engine.transport.registry;

import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
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

    RegistrySource(RegistryReference reference, RegistryClient client) {
        this.reference = reference;
        this.client = client;
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
        return manifest;
    }

    @Override
    public InputStream blob(Descriptor blob) throws IOException {
        return client.blob(blob.digest());
    }
}
