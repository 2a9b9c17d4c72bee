package hoist.dsl.command;

import hoist.engine.transport.RegistryOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** How a registry's TLS is checked: declared once, mixed into every command that reaches one. */
public final class TlsFlags {

    @Option(names = "--tls-verify", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Verify registry TLS certificates (default true); false also allows plain http.")
    Boolean tlsVerify;

    @Option(names = "--cert-dir", paramLabel = "DIR", description = "Certificates (*.crt, *.cert, *.key) for the registry.")
    Path certDir;

    RegistryOptions apply(RegistryOptions options) {
        RegistryOptions result = options;
        if (tlsVerify != null) {
            result = result.withTlsVerify(tlsVerify);
        }
        if (certDir != null) {
            result = result.withCertDir(certDir);
        }
        return result;
    }
}
