package hoist.engine.sign;

import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.TransportContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a copy does with signatures besides carrying them: where registry images keep theirs
 * ({@code registriesD}'s lookaside stores), and which new signature to add at each destination.
 *
 * @param registriesD  lookaside configuration; never null ({@link RegistriesD#empty()} for none)
 * @param signer       signs the top-level manifest written at each destination, or null for no new signature
 * @param signIdentity the identity new signatures claim, or null: each destination's own Docker reference
 * @param policy       the trust policy every image read must satisfy before anything is written, or null for none
 * @param sigstoreSigner makes a sigstore signature of the top-level manifest at each destination, or null for none
 * @param readContext  how the source's registry is reached to read sigstore attachments; null until {@link #withContexts}
 * @param writeContext how registries are reached to attach sigstore signatures; null until {@link #withContexts}
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-signature.5.md">containers-signature(5)</a>
 */
public record Signing(RegistriesD registriesD, SimpleSigner signer, DockerReference signIdentity, SignaturePolicy policy,
                      SigstoreSigner sigstoreSigner, TransportContext readContext, TransportContext writeContext) {

    /** Without sigstore signing. */
    public Signing(RegistriesD registriesD, SimpleSigner signer, DockerReference signIdentity, SignaturePolicy policy) {
        this(registriesD, signer, signIdentity, policy, null, null, null);
    }

    public Signing {
        java.util.Objects.requireNonNull(registriesD, "registriesD");
    }

    /** Signatures carried as stored, no lookaside, nothing signed. */
    public static Signing none() {
        return new Signing(RegistriesD.empty(), null, null, null);
    }

    /** These settings, reaching the source's registry as {@code read} says and destinations' as {@code write} says. */
    public Signing withContexts(TransportContext read, TransportContext write) {
        return new Signing(registriesD, signer, signIdentity, policy, sigstoreSigner, read, write);
    }

    /** Whether a sigstore signature is made at every destination. */
    public boolean signsWithSigstore() {
        return sigstoreSigner != null;
    }

    /**
     * Makes the sigstore signature of the top-level manifest {@code manifestDigest} just put at
     * {@code destination} and attaches it there ({@code sha256-HEX.sig}).
     */
    public void attachSigstore(ImageDestination destination, Digest manifestDigest) throws IOException {
        DockerReference image = registryImage(destination.reference()).orElseThrow();
        SigstoreAttachments.push(image, manifestDigest, List.of(sigstoreSigner.sign(identity(destination), manifestDigest)),
                writeContext == null ? TransportContext.defaults() : writeContext);
    }

    /**
     * Checks the manifest {@code manifest} of {@code source} (an image, a list, or a list's
     * instance) and its {@code signatures} against the policy, if any.
     *
     * @throws HoistException naming the requirement that is not met
     */
    public void checkPolicy(ImageSource source, RawManifest manifest, List<byte[]> signatures) throws IOException {
        if (policy == null) {
            return;
        }
        List<SigstoreSigner.SigstoreSignature> sigstore = List.of();
        Optional<DockerReference> image = registryImage(source.reference());
        if (image.isPresent() && policy.wantsSigstore(source.reference())) {
            sigstore = SigstoreVerifier.attached(source, image.get(), manifest.digest(), readContext == null ? TransportContext.defaults() : readContext);
        }
        policy.check(source.reference(), manifest.bytes(), signatures, sigstore);
    }

    /**
     * The signatures of the manifest {@code instance} (null: the top level) of {@code source}, whose
     * digest is {@code manifestDigest}: a registry image's from its lookaside store, any other's
     * from the source itself.
     */
    public List<byte[]> signatures(ImageSource source, Digest instance, Digest manifestDigest) throws IOException {
        Optional<DockerReference> registryImage = registryImage(source.reference());
        if (registryImage.isPresent()) {
            String base = registriesD.lookasideBase(registryImage.get(), false);
            return base == null ? List.of() : Lookaside.read(base, manifestDigest);
        }
        return source.signatures(instance);
    }

    /**
     * Checks, before anything is written, that {@code destination} can take the signatures this
     * copy makes.
     *
     * @throws HoistException when a signature is to be made and its identity is unknown or the destination cannot keep it
     */
    public void checkDestination(ImageDestination destination) {
        if (sigstoreSigner != null) {
            identity(destination);
            Optional<DockerReference> image = registryImage(destination.reference());
            if (image.isEmpty()) {
                throw new HoistException(destination.reference().text() + ": sigstore signatures are attached to images in a registry; "
                        + "this destination cannot keep them");
            }
            if (!registriesD.useSigstoreAttachments(image.get())) {
                throw new HoistException(destination.reference().text() + ": sigstore signatures need use-sigstore-attachments: true "
                        + "for this registry in registries.d");
            }
        }
        if (signer == null) {
            return;
        }
        identity(destination);
        if (!storesSignatures(destination)) {
            throw new HoistException(destination.reference().text() + " cannot store signatures"
                    + (registryImage(destination.reference()).isPresent()
                    ? "; configure a lookaside (lookaside-staging) for it in registries.d" : ""));
        }
    }

    /** Whether signatures can be kept at {@code destination} (itself, or its lookaside store). */
    public boolean storesSignatures(ImageDestination destination) {
        Optional<DockerReference> registryImage = registryImage(destination.reference());
        if (registryImage.isPresent()) {
            return registriesD.lookasideBase(registryImage.get(), true) != null;
        }
        return destination.supportsSignatures();
    }

    /**
     * The signatures to store with the top-level manifest {@code manifestDigest} at
     * {@code destination}: {@code carried} and, when signing, a new one.
     */
    public List<byte[]> withNewSignature(ImageDestination destination, Digest manifestDigest, List<byte[]> carried) {
        if (signer == null) {
            return carried;
        }
        List<byte[]> all = new ArrayList<>(carried);
        all.add(signer.sign(identity(destination), manifestDigest));
        return all;
    }

    /** Stores {@code signatures} of the manifest {@code manifestDigest} just put at {@code destination}. */
    public void store(ImageDestination destination, Digest manifestDigest, List<byte[]> signatures) throws IOException {
        Optional<DockerReference> registryImage = registryImage(destination.reference());
        if (registryImage.isPresent()) {
            String base = registriesD.lookasideBase(registryImage.get(), true);
            if (base == null) {
                throw new HoistException(destination.reference().text() + " cannot store signatures; "
                        + "configure a lookaside (lookaside-staging) for it in registries.d, or use --remove-signatures");
            }
            Lookaside.write(base, manifestDigest, signatures);
            return;
        }
        destination.putSignatures(signatures);
    }

    private DockerReference identity(ImageDestination destination) {
        if (signIdentity != null) {
            return signIdentity;
        }
        return destination.reference().dockerReference().map(DockerReference::withDefaultTag).orElseThrow(() -> new HoistException(
                "cannot sign for " + destination.reference().text() + ": it has no Docker reference to sign as; give one with --sign-identity"));
    }

    private static Optional<DockerReference> registryImage(ImageReference ref) {
        return "docker".equals(ref.transport().name()) ? ref.dockerReference() : Optional.empty();
    }
}
