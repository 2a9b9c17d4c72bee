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
 * (the registry's signature extension, {@code registriesD}'s lookaside stores, sigstore
 * attachments), and which new signatures to add at each destination. Signatures travel as
 * {@link SignatureBlobs}: simple and sigstore ones in one list.
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

    /**
     * Checks the manifest {@code manifest} of {@code source} (an image, a list, or a list's
     * instance) and its {@code signatures} (as {@link #signatures} gives them, simple and
     * sigstore) against the policy, if any. A registry image's sigstore attachments are read for
     * a policy that asks for them even where registries.d does not turn them on.
     *
     * @throws HoistException naming the requirement that is not met
     */
    public void checkPolicy(ImageSource source, RawManifest manifest, List<byte[]> signatures) throws IOException {
        checkPolicy(source, null, manifest, signatures);
    }

    /**
     * As {@link #checkPolicy(ImageSource, RawManifest, List)} for the list's instance
     * {@code instance} (null: the image or list itself), which the error names.
     *
     * @throws HoistException naming the requirement that is not met
     */
    public void checkPolicy(ImageSource source, Digest instance, RawManifest manifest, List<byte[]> signatures) throws IOException {
        if (policy == null) {
            return;
        }
        List<SigstoreSigner.SigstoreSignature> sigstore = new ArrayList<>(SignatureBlobs.sigstore(signatures));
        Optional<DockerReference> image = registryImage(source.reference());
        if (image.isPresent() && !registriesD.useSigstoreAttachments(image.get()) && policy.wantsSigstore(source.reference())) {
            sigstore.addAll(SigstoreVerifier.attached(source, image.get(), manifest.digest(), reading()));
        }
        policy.check(source.reference(), instance, manifest.bytes(), SignatureBlobs.simple(signatures), sigstore);
    }

    /**
     * The signatures of the manifest {@code instance} (null: the top level) of {@code source}, whose
     * digest is {@code manifestDigest}, as {@link SignatureBlobs} keeps them. A registry image's
     * simple signatures come from the registry's signature extension where it offers one, else from
     * its lookaside store; its sigstore attachments are added where registries.d turns them on
     * ({@code use-sigstore-attachments}). Any other image's come from the source itself.
     */
    public List<byte[]> signatures(ImageSource source, Digest instance, Digest manifestDigest) throws IOException {
        Optional<DockerReference> registryImage = registryImage(source.reference());
        if (registryImage.isEmpty()) {
            return source.signatures(instance);
        }
        List<byte[]> all = new ArrayList<>();
        if (source.keepsSignatures()) {
            all.addAll(source.signatures(manifestDigest));
        } else {
            String base = registriesD.lookasideBase(registryImage.get(), false);
            if (base != null) {
                all.addAll(Lookaside.read(base, manifestDigest));
            }
        }
        if (registriesD.useSigstoreAttachments(registryImage.get())) {
            for (SigstoreSigner.SigstoreSignature signature : SigstoreVerifier.attached(source, registryImage.get(), manifestDigest, reading())) {
                all.add(SignatureBlobs.of(signature));
            }
        }
        return all;
    }

    /**
     * Checks, before anything is written, that {@code destination} can take the signatures this
     * copy makes.
     *
     * @throws HoistException when a signature is to be made and its identity is unknown or the destination cannot keep it
     */
    public void checkDestination(ImageDestination destination) {
        Optional<DockerReference> image = registryImage(destination.reference());
        if (sigstoreSigner != null) {
            identity(destination);
            if (image.isPresent() && !registriesD.useSigstoreAttachments(image.get())) {
                throw new HoistException(destination.reference().text() + ": sigstore signatures need use-sigstore-attachments: true "
                        + "for this registry in registries.d");
            }
            if (image.isEmpty() && !destination.supportsSignatures()) {
                throw new HoistException(destination.reference().text() + " cannot store signatures");
            }
        }
        if (signer == null) {
            return;
        }
        identity(destination);
        if (!(image.isEmpty() ? destination.supportsSignatures()
                : destination.supportsSignatures() || registriesD.lookasideBase(image.get(), true) != null)) {
            throw new HoistException(destination.reference().text() + " cannot store signatures"
                    + (image.isPresent() ? "; configure a lookaside (lookaside-staging) for it in registries.d" : ""));
        }
    }

    /**
     * Whether {@code signatures} can be kept at {@code destination}: in {@code dir:} and
     * containers-storage all of them; where the destination {@link ImageDestination#discardsSignatures
     * discards them} by design, taken as kept; at a registry, simple ones in its signature extension or its
     * lookaside store, sigstore ones as attachments where registries.d turns them on.
     */
    public boolean storesSignatures(ImageDestination destination, List<byte[]> signatures) {
        if (destination.discardsSignatures()) {
            return true;
        }
        Optional<DockerReference> registryImage = registryImage(destination.reference());
        if (registryImage.isEmpty()) {
            return destination.supportsSignatures();
        }
        boolean simple = signatures.stream().anyMatch(b -> !SignatureBlobs.isTagged(b));
        boolean sigstore = signatures.stream().anyMatch(SignatureBlobs::isSigstore);
        return (!simple || destination.supportsSignatures() || registriesD.lookasideBase(registryImage.get(), true) != null)
                && (!sigstore || registriesD.useSigstoreAttachments(registryImage.get()));
    }

    /**
     * The signatures to store with the manifest {@code manifestDigest} (the top level or a list's
     * instance) at {@code destination}: {@code carried} and, when signing, the new ones (a simple
     * signature, a sigstore one, or both).
     */
    public List<byte[]> withNewSignature(ImageDestination destination, Digest manifestDigest, List<byte[]> carried) {
        if (signer == null && sigstoreSigner == null) {
            return carried;
        }
        List<byte[]> all = new ArrayList<>(carried);
        if (signer != null) {
            all.add(signer.sign(identity(destination), manifestDigest));
        }
        if (sigstoreSigner != null) {
            all.add(SignatureBlobs.of(sigstoreSigner.sign(identity(destination), manifestDigest)));
        }
        return all;
    }

    /**
     * Stores {@code signatures} of the manifest {@code manifestDigest} just put at {@code destination}:
     * at a registry, the simple ones in its signature extension where it offers one, else in its
     * lookaside store, and the sigstore ones as its {@code sha256-HEX.sig} attachment; anywhere
     * else, with the image.
     *
     * @throws HoistException when the registry has no place configured for a kind of signature given
     */
    public void store(ImageDestination destination, Digest manifestDigest, List<byte[]> signatures) throws IOException {
        Optional<DockerReference> registryImage = registryImage(destination.reference());
        if (registryImage.isEmpty()) {
            destination.putSignatures(signatures);
            return;
        }
        List<byte[]> simple = SignatureBlobs.simple(signatures);
        if (!simple.isEmpty()) {
            if (destination.supportsSignatures()) {
                destination.putSignatures(simple);
            } else {
                String base = registriesD.lookasideBase(registryImage.get(), true);
                if (base == null) {
                    throw new HoistException(destination.reference().text() + " cannot store signatures; "
                            + "configure a lookaside (lookaside-staging) for it in registries.d, or use --remove-signatures");
                }
                Lookaside.write(base, manifestDigest, simple);
            }
        }
        List<SigstoreSigner.SigstoreSignature> sigstore = SignatureBlobs.sigstore(signatures);
        if (!sigstore.isEmpty()) {
            if (!registriesD.useSigstoreAttachments(registryImage.get())) {
                throw new HoistException(destination.reference().text() + ": sigstore signatures need use-sigstore-attachments: true "
                        + "for this registry in registries.d, or use --remove-signatures");
            }
            SigstoreAttachments.push(registryImage.get(), manifestDigest, sigstore,
                    writeContext == null ? TransportContext.defaults() : writeContext);
        }
    }

    private TransportContext reading() {
        return readContext == null ? TransportContext.defaults() : readContext;
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
