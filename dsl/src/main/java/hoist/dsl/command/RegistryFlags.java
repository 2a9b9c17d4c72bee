package hoist.dsl.command;

import hoist.engine.auth.Credentials;
import hoist.engine.transport.RegistryOptions;
import hoist.engine.transport.TransportContext;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** How to reach registries: the options every command that talks to one shares. */
public final class RegistryFlags {

    @Option(names = "--tls-verify", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Verify registry TLS certificates (default true); false also allows plain http.")
    Boolean tlsVerify;

    @Option(names = "--cert-dir", paramLabel = "DIR", description = "Certificates (*.crt, *.cert, *.key) for the registry.")
    Path certDir;

    @Option(names = "--authfile", paramLabel = "FILE", description = "Auth file (env REGISTRY_AUTH_FILE).")
    Path authFile;

    @Option(names = "--creds", paramLabel = "USER[:PASS]", description = "Credentials for the registry.")
    String creds;

    /** The context with these options applied to how registries are reached. */
    public TransportContext apply(TransportContext base) {
        RegistryOptions options = base.registry();
        if (tlsVerify != null) {
            options = options.withTlsVerify(tlsVerify);
        }
        if (certDir != null) {
            options = options.withCertDir(certDir);
        }
        if (authFile != null) {
            options = options.withAuthFile(authFile);
        }
        if (creds != null) {
            options = options.withCredentials(CredentialPrompt.complete(Credentials.parse(creds)));
        }
        return base.withRegistry(options);
    }
}
