package hoist.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A GnuPG home made by the real gpg for a test: one RSA signing key with a passphrase, its public
 * key exported to a file. {@link #close()} stops the gpg-agent gpg started for it.
 */
public final class GnupgHome implements AutoCloseable {

    public static final String PASSPHRASE = "correct horse";

    private final Path home;
    private final String fingerprint;

    private GnupgHome(Path home, String fingerprint) {
        this.home = home;
        this.fingerprint = fingerprint;
    }

    /** A new home under {@code dir} with one key for {@code email}. */
    public static GnupgHome create(Path dir, String email) throws IOException {
        Path home = Files.createDirectories(dir);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Path params = Files.writeString(dir.resolveSibling(dir.getFileName() + ".params"), String.join("\n",
                "Key-Type: RSA", "Key-Length: 2048", "Key-Usage: sign", "Name-Real: hoist test", "Name-Email: " + email,
                "Expire-Date: 0", "Passphrase: " + PASSPHRASE, "%commit", ""));
        Map<String, String> env = Map.of("GNUPGHOME", home.toString());
        Command.run(List.of("gpg", "--batch", "--gen-key", params.toString()), env);
        String listing = Command.run(List.of("gpg", "--batch", "--with-colons", "--list-secret-keys", email), env);
        String fingerprint = listing.lines().filter(l -> l.startsWith("fpr:")).findFirst()
                .map(l -> l.split(":")[9]).orElseThrow(() -> new AssertionError("gpg listed no key:\n" + listing));
        return new GnupgHome(home, fingerprint);
    }

    public Path home() {
        return home;
    }

    /** {@code GNUPGHOME=home}, for running peers and hoist with it. */
    public Map<String, String> env() {
        return Map.of("GNUPGHOME", home.toString());
    }

    /** The key's fingerprint, 40 upper-case hex digits. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The public key, as {@code gpg --export} writes it, in {@code file}. */
    public Path exportPublicKey(Path file) throws IOException {
        Command.run(List.of("gpg", "--batch", "--yes", "--output", file.toString(), "--export", fingerprint), env());
        return file;
    }

    /** A file holding the passphrase and a newline, as users write it. */
    public Path passphraseFile(Path file) throws IOException {
        return Files.writeString(file, PASSPHRASE + "\n", StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        Command.exec(List.of("gpgconf", "--kill", "gpg-agent"), env());
    }
}
