package hoist.dsl.command;

import hoist.engine.HoistException;
import hoist.engine.auth.Credentials;
import hoist.engine.transport.RegistryOptions;
import hoist.engine.transport.TransportContext;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;


/** How to reach registries: the options every command that talks to one shares. */
public final class RegistryFlags {

    @Mixin
    TlsFlags tls;

    @Mixin
    AuthFileFlag auth;

    @Option(names = "--creds", paramLabel = "USER[:PASS]", description = "Credentials for the registry.")
    String creds;

    @Option(names = {"--retry", "--retry-times"}, paramLabel = "N", description = "Retries of a failed registry request (default 3).")
    Integer retry;

    @Option(names = "--retry-delay", paramLabel = "DURATION",
            description = "Pause between retries, e.g. 500ms, 2s, 1m (default: 2s doubling each time).")
    String retryDelay;

    /** The context with these options applied to how registries are reached. */
    public TransportContext apply(TransportContext base) {
        RegistryOptions options = tls.apply(base.registry());
        if (auth.authFile != null) {
            options = options.withAuthFile(auth.authFile);
        }
        if (creds != null) {
            options = options.withCredentials(CredentialPrompt.complete(Credentials.parse(creds)));
        }
        if (retry != null || retryDelay != null) {
            if (retry != null && retry < 0) {
                throw HoistException.usage("--retry must be 0 or more, got " + retry);
            }
            options = options.withRetries(retry != null ? retry : options.retries(),
                    retryDelay != null ? Durations.parse("--retry-delay", retryDelay) : options.retryDelay());
        }
        return base.withRegistry(options);
    }
}
