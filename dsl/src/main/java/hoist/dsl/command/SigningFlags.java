package hoist.dsl.command;

import hoist.engine.HoistException;
import hoist.engine.sign.GnupgKeyring;
import hoist.engine.sign.Signing;
import hoist.engine.sign.SigstoreParams;
import hoist.engine.sign.SigstorePrivateKey;
import hoist.engine.sign.SigstoreSigner;
import hoist.engine.sign.SimpleSigner;
import hoist.engine.transport.DockerReference;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Signing options of push and copy, named as podman and skopeo name them: {@code --sign-by} with
 * a key of the GnuPG home ({@code $GNUPGHOME}, else {@code ~/.gnupg}), its passphrase from
 * {@code --sign-passphrase-file}, {@code --sign-identity} for destinations without a Docker name,
 * sigstore keys, and the {@link PolicyFlags} every reading command takes.
 */
public final class SigningFlags {

    @Option(names = "--sign-by", paramLabel = "FINGERPRINT",
            description = "Sign the image with this GnuPG key (simple signing); its fingerprint, key ID or e-mail.")
    String signBy;

    @Option(names = "--sign-passphrase-file", paramLabel = "PATH",
            description = "Read the signing key's passphrase from the first line of PATH.")
    Path passphraseFile;

    @Option(names = "--sign-by-sigstore-private-key", paramLabel = "PATH",
            description = "Sign the image with this sigstore (cosign) private key; its passphrase from --sign-passphrase-file.")
    Path sigstorePrivateKey;

    @Option(names = "--sign-by-sigstore", paramLabel = "PARAM-FILE",
            description = "Sign the image with sigstore as the parameter file says (privateKeyFile, privateKeyPassphraseFile).")
    Path sigstoreParams;

    @Option(names = "--sign-identity", paramLabel = "REFERENCE",
            description = "The Docker reference the signature claims (default: the destination's own name).")
    String signIdentity;

    @Mixin
    PolicyFlags policy;

    /**
     * The engine's signing settings from these flags; the signing key is unlocked here, so a
     * missing key or a wrong passphrase fails before anything is read or written.
     */
    public Signing signing() {
        boolean signs = signBy != null || sigstorePrivateKey != null || sigstoreParams != null;
        if (!signs && (passphraseFile != null || signIdentity != null)) {
            throw HoistException.usage((passphraseFile != null ? "--sign-passphrase-file" : "--sign-identity")
                    + " needs --sign-by or --sign-by-sigstore-private-key");
        }
        if (sigstorePrivateKey != null && sigstoreParams != null) {
            throw HoistException.usage("--sign-by-sigstore-private-key cannot be combined with --sign-by-sigstore");
        }
        if (signBy != null && sigstorePrivateKey != null && passphraseFile != null) {
            throw HoistException.usage("--sign-passphrase-file is ambiguous with both --sign-by and --sign-by-sigstore-private-key");
        }
        SimpleSigner signer = null;
        if (signBy != null) {
            try {
                signer = new SimpleSigner(GnupgKeyring.at(GnupgKeyring.defaultHome()).signingKey(signBy, passphrase()));
            } catch (IOException e) {
                throw new HoistException("reading the GnuPG home " + GnupgKeyring.defaultHome() + ": " + HoistException.describe(e));
            }
        }
        SigstoreSigner sigstore = null;
        try {
            if (sigstorePrivateKey != null) {
                sigstore = new SigstoreSigner(SigstorePrivateKey.load(sigstorePrivateKey, passphrase()));
            } else if (sigstoreParams != null) {
                sigstore = SigstoreParams.signer(sigstoreParams);
            }
        } catch (IOException e) {
            throw new HoistException(HoistException.describe(e));
        }
        DockerReference identity = signIdentity == null ? null : DockerReference.parse(signIdentity);
        return new Signing(policy.registries(), signer, identity, policy.policy(), sigstore, null, null);
    }

    /**
     * The settings of a copy given no signing flags: signatures carried, lookaside from the
     * default registries.d, the default trust policy enforced.
     */
    public static Signing defaults() {
        return new Signing(PolicyFlags.registries(null), null, null, PolicyFlags.policy(null));
    }

    private char[] passphrase() {
        if (passphraseFile == null) {
            return null;
        }
        try {
            return SigstoreParams.firstLine(passphraseFile);
        } catch (IOException e) {
            throw new HoistException("--sign-passphrase-file: " + HoistException.describe(e));
        }
    }
}
