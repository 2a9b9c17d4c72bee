package hoist.engine.transport;

import hoist.engine.auth.AuthFile;
import hoist.engine.auth.Credentials;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How registries are reached: TLS verification ({@code null}: as configured, verifying by default),
 * a directory of certificates, the auth file, explicit credentials, the retry policy, the
 * registries.conf to use (null: the default search), and where warnings go (never null).
 */
public record RegistryOptions(Boolean tlsVerify, Path certDir, Path authFile, Credentials credentials,
                              int retries, Duration retryDelay, Path registriesConf, Warnings warnings) {

    public static final int DEFAULT_RETRIES = 3;

    public static RegistryOptions defaults() {
        return new RegistryOptions(null, null, null, null, DEFAULT_RETRIES, null, null, Warnings.toStandardError());
    }

    public RegistryOptions withTlsVerify(Boolean value) {
        return new RegistryOptions(value, certDir, authFile, credentials, retries, retryDelay, registriesConf, warnings);
    }

    public RegistryOptions withCertDir(Path value) {
        return new RegistryOptions(tlsVerify, value, authFile, credentials, retries, retryDelay, registriesConf, warnings);
    }

    /**
     * These options with the auth file the user named; it must exist.
     *
     * @throws hoist.engine.HoistException when {@code value} is not an existing file
     * @see AuthFile#requireNamed(Path)
     */
    public RegistryOptions withAuthFile(Path value) {
        return new RegistryOptions(tlsVerify, certDir, AuthFile.requireNamed(value), credentials, retries, retryDelay, registriesConf, warnings);
    }

    public RegistryOptions withCredentials(Credentials value) {
        return new RegistryOptions(tlsVerify, certDir, authFile, value, retries, retryDelay, registriesConf, warnings);
    }

    public RegistryOptions withRegistriesConf(Path value) {
        return new RegistryOptions(tlsVerify, certDir, authFile, credentials, retries, retryDelay, value, warnings);
    }

    /** These options with warnings printed through {@code value} (not null). */
    public RegistryOptions withWarnings(Warnings value) {
        return new RegistryOptions(tlsVerify, certDir, authFile, credentials, retries, retryDelay, registriesConf, value);
    }

    public RegistryOptions withRetries(int count, Duration delay) {
        return new RegistryOptions(tlsVerify, certDir, authFile, credentials, count, delay, registriesConf, warnings);
    }
}
