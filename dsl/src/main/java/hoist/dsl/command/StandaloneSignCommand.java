package hoist.dsl.command;

import hoist.dsl.CommandOutput;
import hoist.engine.HoistException;
import hoist.engine.io.AtomicFiles;
import hoist.engine.sign.GnupgKeyring;
import hoist.engine.sign.SigstoreParams;
import hoist.engine.sign.StandaloneSignature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code standalone-sign MANIFEST DOCKER-REFERENCE KEY-FINGERPRINT -o SIGNATURE}: a simple signature
 * of a manifest file, made with a key of the GnuPG home ({@code $GNUPGHOME}, else {@code ~/.gnupg}),
 * as skopeo's command of that name makes it; prints nothing.
 */
@Command(name = "standalone-sign", mixinStandardHelpOptions = true,
        description = "Sign a manifest file as DOCKER-REFERENCE with a GnuPG key (simple signing), as skopeo standalone-sign does.")
public final class StandaloneSignCommand implements Callable<StandaloneSignCommand.Signed> {

    /** The signature written, at {@code signature}; prints nothing, as skopeo prints nothing. */
    public record Signed(Path signature) implements CommandOutput {
        @Override
        public String text() {
            return "";
        }
    }

    @Parameters(index = "0", paramLabel = "MANIFEST", description = "The manifest file to sign.")
    Path manifest;

    @Parameters(index = "1", paramLabel = "DOCKER-REFERENCE", description = "The image name the signature claims.")
    String reference;

    @Parameters(index = "2", paramLabel = "KEY-FINGERPRINT", description = "The GnuPG key that signs: its fingerprint, key ID or e-mail.")
    String fingerprint;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "SIGNATURE", description = "Write the signature to SIGNATURE.")
    Path output;

    @Option(names = "--passphrase-file", paramLabel = "PATH", description = "Read the key's passphrase from the first line of PATH.")
    Path passphraseFile;

    @Override
    public Signed call() {
        byte[] manifestBytes;
        try {
            manifestBytes = Files.readAllBytes(manifest);
        } catch (IOException e) {
            throw new HoistException("reading the manifest " + HoistException.describe(e));
        }
        char[] passphrase = null;
        if (passphraseFile != null) {
            try {
                passphrase = SigstoreParams.firstLine(passphraseFile);
            } catch (IOException e) {
                throw new HoistException("--passphrase-file: " + HoistException.describe(e));
            }
        }
        GnupgKeyring.SigningKey key;
        try {
            key = GnupgKeyring.at(GnupgKeyring.defaultHome()).signingKey(fingerprint, passphrase);
        } catch (IOException e) {
            throw new HoistException("reading the GnuPG home " + GnupgKeyring.defaultHome() + ": " + HoistException.describe(e));
        }
        byte[] signature = StandaloneSignature.sign(manifestBytes, reference, key);
        try {
            AtomicFiles.write(output, signature);
        } catch (IOException e) {
            throw new HoistException("writing the signature to " + HoistException.describe(e));
        }
        return new Signed(output);
    }
}
