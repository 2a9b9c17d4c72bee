package hoist.engine.crypt;

import hoist.engine.HoistException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * GnuPG's public keyring as {@code gpg --export} gives it (binary OpenPGP keys; {@code GNUPGHOME}
 * names another home), the way ocicrypt finds {@code pgp:} recipients.
 */
final class GnupgKeyring {

    private static final long TIMEOUT_SECONDS = 60;

    private GnupgKeyring() {
    }

    /** Every public key in the keyring. @throws HoistException when gpg cannot be run or fails */
    static byte[] export() {
        Process process;
        try {
            process = new ProcessBuilder(List.of("gpg", "--batch", "--no-tty", "--export"))
                    .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new HoistException("pgp: recipients are looked up with gpg, which cannot be run: " + e.getMessage(), e);
        }
        try (InputStream out = process.getInputStream(); InputStream err = process.getErrorStream()) {
            process.getOutputStream().close();
            byte[] keys = out.readAllBytes();
            String errors = new String(err.readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new HoistException("pgp: gpg --export did not finish");
            }
            if (process.exitValue() != 0) {
                throw new HoistException("pgp: gpg --export failed: " + errors);
            }
            return keys;
        } catch (IOException e) {
            throw new HoistException("pgp: gpg --export failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new HoistException("pgp: cancelled while reading the GnuPG keyring");
        }
    }
}
