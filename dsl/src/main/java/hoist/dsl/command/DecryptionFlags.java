package hoist.dsl.command;

import hoist.engine.crypt.DecryptionKeys;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code --decryption-key}: the keys encrypted layers are decrypted with (pull, push, copy). */
public final class DecryptionFlags {

    @Option(names = "--decryption-key", paramLabel = "KEY[:PASSWORD-FILE]",
            description = "Decrypt encrypted layers with this private key (PEM, DER or JWK; RSA or EC), certificate "
                    + "(pkcs7) or OpenPGP secret keyring; after the colon a file holding the key's password "
                    + "(also file=PATH, pass=TEXT). Repeatable.")
    List<String> decryptionKeys = List.of();

    /** The keys given, read now; null when none was given. */
    DecryptionKeys keys() {
        return decryptionKeys.isEmpty() ? null : DecryptionKeys.parse(decryptionKeys);
    }
}
