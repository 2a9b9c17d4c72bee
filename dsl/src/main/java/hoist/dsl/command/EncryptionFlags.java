package hoist.dsl.command;

import hoist.engine.HoistException;
import hoist.engine.copy.CopyOptions;
import hoist.engine.crypt.EncryptionRecipients;
import hoist.engine.crypt.LayerCrypto;
import hoist.engine.image.ManifestFormat;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * Layer encryption on push and copy, named as podman and skopeo name it: {@code --encryption-key
 * PROTOCOL:KEY} (jwe, pkcs7, pgp), {@code --encrypt-layer N} (0 the first, -1 the last; default:
 * every layer), and {@code --decryption-key} for layers that are encrypted already.
 */
public final class EncryptionFlags {

    @Option(names = "--encryption-key", paramLabel = "PROTOCOL:KEY",
            description = "Encrypt layers for this recipient: jwe:PUBLIC-KEY-FILE (RSA or EC, PEM or JWK), "
                    + "pkcs7:CERTIFICATE-FILE, pgp:KEY-FILE or pgp:NAME-OR-EMAIL (GnuPG keyring). Repeatable.")
    List<String> encryptionKeys = List.of();

    @Option(names = "--encrypt-layer", paramLabel = "N", split = ",",
            description = "Encrypt only these layers (0 the first, -1 the last; repeatable or comma-separated). Default: all.")
    List<Integer> encryptLayers = List.of();

    @Mixin
    DecryptionFlags decryption;

    /** {@code options} with the encryption these flags ask for. */
    CopyOptions apply(CopyOptions options) {
        if (encryptionKeys.isEmpty() && !encryptLayers.isEmpty()) {
            throw HoistException.usage("--encrypt-layer needs --encryption-key");
        }
        if (!encryptionKeys.isEmpty() && options.format() != null && options.format() != ManifestFormat.OCI) {
            throw HoistException.usage("encrypted layers need an OCI manifest; --format " + options.format().flag()
                    + " cannot describe them");
        }
        EncryptionRecipients recipients = encryptionKeys.isEmpty() ? null : EncryptionRecipients.parse(encryptionKeys);
        if (recipients == null && decryption.decryptionKeys.isEmpty()) {
            return options;
        }
        return options.withCrypto(new LayerCrypto(recipients, encryptLayers, decryption.keys()));
    }
}
