package hoist.dsl.command;

import hoist.dsl.CommandOutput;
import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.sign.GnupgKeyring;
import hoist.engine.sign.PublicKeys;
import hoist.engine.sign.StandaloneSignature;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code standalone-verify MANIFEST DOCKER-REFERENCE KEY-FINGERPRINTS SIGNATURE}: checks a simple
 * signature of a manifest file as skopeo's command of that name does, against the keys of the
 * GnuPG home or of {@code --public-key-file}, and prints skopeo's line
 * {@code Signature verified using fingerprint FPR, digest sha256:...}.
 */
@Command(name = "standalone-verify", mixinStandardHelpOptions = true,
        description = "Verify a simple signature of a manifest file, as skopeo standalone-verify does.",
        footer = {"", "KEY-FINGERPRINTS is a comma-separated list of fingerprints, or \"any\" for every key of --public-key-file."})
public final class StandaloneVerifyCommand implements Callable<StandaloneVerifyCommand.Verified> {

    /** A signature that verified: by the key {@code fingerprint}, of the manifest {@code digest}. */
    public record Verified(String fingerprint, Digest digest) implements CommandOutput {
        @Override
        public String text() {
            return "Signature verified using fingerprint " + fingerprint + ", digest " + digest;
        }
    }

    @Parameters(index = "0", paramLabel = "MANIFEST", description = "The manifest file the signature should sign.")
    Path manifest;

    @Parameters(index = "1", paramLabel = "DOCKER-REFERENCE", description = "The image name the signature should claim.")
    String reference;

    @Parameters(index = "2", paramLabel = "KEY-FINGERPRINTS", description = "Fingerprints of the keys accepted, comma-separated, or any.")
    String fingerprints;

    @Parameters(index = "3", paramLabel = "SIGNATURE", description = "The signature file.")
    Path signature;

    @Option(names = "--public-key-file", paramLabel = "PATH",
            description = "Trust the public keys in PATH (as gpg --export writes them) instead of the GnuPG home's.")
    Path publicKeyFile;

    @Override
    public Verified call() {
        List<String> accepted = List.of(fingerprints.split(","));
        boolean any = accepted.equals(List.of("any"));
        if (any && publicKeyFile == null) {
            throw HoistException.usage("the key fingerprint \"any\" needs --public-key-file");
        }
        byte[] manifestBytes = read(manifest, "the manifest");
        byte[] signatureBytes = read(signature, "the signature");
        List<PGPPublicKeyRing> keys;
        if (publicKeyFile != null) {
            keys = PublicKeys.read(read(publicKeyFile, "the public keys"), publicKeyFile.toString());
        } else {
            try {
                keys = GnupgKeyring.at(GnupgKeyring.defaultHome()).publicKeyRings();
            } catch (IOException e) {
                throw new HoistException("reading the GnuPG home " + GnupgKeyring.defaultHome() + ": " + HoistException.describe(e));
            }
        }
        try {
            StandaloneSignature.Verified verified = StandaloneSignature.verify(signatureBytes, manifestBytes, reference,
                    any ? StandaloneSignature.fingerprints(keys) : accepted, keys);
            return new Verified(verified.fingerprint(), verified.manifestDigest());
        } catch (HoistException e) {
            if (e.exitStatus() == HoistException.USAGE) {
                throw e;
            }
            throw new HoistException("verifying the signature " + signature + ": " + e.getMessage());
        }
    }

    private static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new HoistException("reading " + what + " " + HoistException.describe(e));
        }
    }
}
