package hoist.engine.transport.registry;

import hoist.engine.HoistException;
import hoist.engine.config.RegistryRoute;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.io.DigestMismatchException;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.TransportContext;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Reads an image from a registry, or from the first of its mirrors (registries.conf) that has it:
 * the endpoint that serves the top-level manifest serves the rest of the image.
 */
final class RegistrySource implements ImageSource {

    private final RegistryReference reference;
    private final List<RegistryRoute.Endpoint> endpoints;
    private final TransportContext context;
    private RegistryClient client;
    private RegistryRoute.Endpoint chosen;

    RegistrySource(RegistryReference reference, List<RegistryRoute.Endpoint> endpoints, TransportContext context) {
        this.reference = reference;
        this.endpoints = endpoints;
        this.context = context;
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    /** By digest, the bytes must match it: a registry is not trusted to serve what was asked. */
    @Override
    public RawManifest manifest(Digest instance) throws IOException {
        if (client == null) {
            return choose(instance);
        }
        return fetch(chosen, client, instance);
    }

    /** Tries the endpoints in order; the last one's failure is the one reported. */
    private RawManifest choose(Digest instance) throws IOException {
        RuntimeException lastFailure = null;
        IOException lastIo = null;
        for (RegistryRoute.Endpoint endpoint : endpoints) {
            try {
                RegistryClient candidate = reference.client(endpoint, context, false);
                RawManifest manifest = fetch(endpoint, candidate, instance);
                client = candidate;
                chosen = endpoint;
                return manifest;
            } catch (HoistException e) {
                lastFailure = e;
                lastIo = null;
            } catch (IOException e) {
                lastIo = e;
                lastFailure = null;
            }
        }
        if (lastIo != null) {
            throw lastIo;
        }
        throw lastFailure;
    }

    private RawManifest fetch(RegistryRoute.Endpoint endpoint, RegistryClient from, Digest instance) throws IOException {
        Digest expected = instance != null ? instance : endpoint.reference().digest();
        RawManifest manifest = from.manifest(expected != null ? expected.toString() : endpoint.reference().tag());
        if (expected != null && !expected.matches(manifest.bytes())
                && !expected.equals(hoist.engine.image.ManifestDigest.of(manifest.bytes()))) { // a signed schema 1 manifest: its payload's
            throw new DigestMismatchException(reference.text() + ": manifest " + expected + " does not match its content");
        }
        remember(endpoint, manifest);
        return manifest;
    }

    /** The blobs of an image read here are known to be here: a push to the same registry can mount them. */
    private void remember(RegistryRoute.Endpoint endpoint, RawManifest manifest) {
        try {
            if (manifest.parse() instanceof ImageManifest image) {
                String location = endpoint.reference().name();
                context.knowledge().seen(image.config().digest(), location);
                image.layers().forEach(layer -> context.knowledge().seen(layer.digest(), location));
            }
        } catch (RuntimeException e) {
            // an unparseable manifest is reported by whoever reads it
        }
    }

    @Override
    public List<String> repositoryTags() throws IOException {
        if (client == null) {
            // listing tags needs no manifest: a repository without the reference's tag still has tags
            return reference.client(endpoints.get(0), context, false).tags();
        }
        return client.tags();
    }

    /**
     * By the referrers API where the registry has one; otherwise the referrers tag schema's index
     * ({@code sha256-HEX}), filtered by {@code artifactType}; empty when neither lists any.
     */
    @Override
    public List<Descriptor> referrers(Digest subject, String artifactType) throws IOException {
        RegistryClient registry = client();
        java.util.Optional<List<Descriptor>> listed = registry.referrers(subject, artifactType);
        if (listed.isPresent()) {
            return listed.get();
        }
        java.util.Optional<RawManifest> index = registry.taggedManifest(hoist.engine.image.ReferrerTags.fallbackTag(subject));
        if (index.isEmpty()) {
            return List.of();
        }
        if (!(index.get().parse() instanceof hoist.engine.image.ManifestList list)) {
            throw new HoistException(reference.text() + ": the referrers tag " + hoist.engine.image.ReferrerTags.fallbackTag(subject)
                    + " is not an image index");
        }
        return list.manifests().stream().filter(d -> artifactType == null || artifactType.equals(d.artifactType())).toList();
    }

    @Override
    public java.util.Optional<RawManifest> taggedManifest(String tag) throws IOException {
        return client().taggedManifest(tag);
    }

    /** The client of the endpoint that served the image, chosen by reading its manifest first. */
    private RegistryClient client() throws IOException {
        if (client == null) {
            manifest(null);
        }
        return client;
    }

    /** Whether the registry keeps signatures itself (its signature extension); else they are in a lookaside store. */
    @Override
    public boolean keepsSignatures() throws IOException {
        return client().signatureExtension().isPresent();
    }

    /**
     * The simple signatures the registry's signature extension keeps for {@code instance}, or
     * for the top-level manifest when null; empty when the registry has no such extension.
     */
    @Override
    public List<byte[]> signatures(Digest instance) throws IOException {
        Digest digest = instance != null ? instance : manifest(null).digest();
        java.util.Optional<SignatureExtension> extension = client().signatureExtension();
        return extension.isPresent() ? extension.get().read(digest) : List.of();
    }

    @Override
    public InputStream blob(Descriptor blob) throws IOException {
        if (client == null) {
            manifest(null);
        }
        return client.blob(blob.digest());
    }
}
