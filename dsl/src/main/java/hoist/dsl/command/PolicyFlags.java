package hoist.dsl.command;

import hoist.engine.HoistException;
import hoist.engine.sign.RegistriesD;
import hoist.engine.sign.SignaturePolicy;
import hoist.engine.sign.Signing;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What every command that reads an image takes about its signatures, named as podman and skopeo
 * name them: the trust policy images read must satisfy ({@code --signature-policy}, alias
 * skopeo's {@code --policy}; {@code --insecure-policy} to accept anything) and
 * {@code --registries.d}, where registry images keep their signatures.
 */
public final class PolicyFlags {

    @Option(names = "--registries.d", paramLabel = "DIR",
            description = "Read lookaside signature store settings from DIR (default: ~/.config/containers/registries.d, /etc/containers/registries.d).")
    Path registriesD;

    @Option(names = {"--signature-policy", "--policy"}, paramLabel = "PATH",
            description = "Trust policy every image read must satisfy (default: ~/.config/containers/policy.json, /etc/containers/policy.json).")
    Path signaturePolicy;

    @Option(names = "--insecure-policy", description = "Accept any image, whatever the trust policy says.")
    boolean insecurePolicy;

    /** The engine's settings from these flags alone: signatures carried, nothing signed. */
    public Signing signing() {
        return new Signing(registries(), null, null, policy());
    }

    /** The policy these flags name: none checked with {@code --insecure-policy}, else the file's. */
    SignaturePolicy policy() {
        return insecurePolicy ? SignaturePolicy.acceptAnything() : policy(signaturePolicy);
    }

    /** registries.d from {@code --registries.d}, or the default directories. */
    RegistriesD registries() {
        return registries(registriesD);
    }

    static SignaturePolicy policy(Path explicit) {
        try {
            return SignaturePolicy.load(SignaturePolicy.defaultPath(explicit));
        } catch (IOException e) {
            throw new HoistException("reading the signature policy: " + HoistException.describe(e));
        }
    }

    static RegistriesD registries(Path explicit) {
        try {
            return RegistriesD.load(RegistriesD.defaultDirectory(explicit));
        } catch (IOException e) {
            throw new HoistException("reading registries.d: " + HoistException.describe(e));
        }
    }
}
