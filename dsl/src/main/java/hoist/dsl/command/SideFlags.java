package hoist.dsl.command;

import hoist.engine.auth.Credentials;
import hoist.engine.transport.RegistryOptions;
import hoist.engine.transport.TransportContext;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * skopeo copy's per-side registry options: {@code --src-*} apply to the source only,
 * {@code --dest-*} to the destinations only, each over the options that apply to both.
 *
 * @see <a href="https://github.com/containers/skopeo/blob/main/docs/skopeo-copy.1.md">skopeo-copy(1)</a>
 */
public final class SideFlags {

    @Option(names = "--src-tls-verify", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Verify the source registry's TLS certificates (default true).")
    Boolean srcTlsVerify;

    @Option(names = "--dest-tls-verify", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Verify the destination registries' TLS certificates (default true).")
    Boolean destTlsVerify;

    @Option(names = "--src-creds", paramLabel = "USER[:PASS]", description = "Credentials for the source registry.")
    String srcCreds;

    @Option(names = "--dest-creds", paramLabel = "USER[:PASS]", description = "Credentials for the destination registries.")
    String destCreds;

    @Option(names = "--src-authfile", paramLabel = "FILE", description = "Auth file for the source registry.")
    Path srcAuthFile;

    @Option(names = "--dest-authfile", paramLabel = "FILE", description = "Auth file for the destination registries.")
    Path destAuthFile;

    @Option(names = "--src-cert-dir", paramLabel = "DIR", description = "Certificates for the source registry.")
    Path srcCertDir;

    @Option(names = "--dest-cert-dir", paramLabel = "DIR", description = "Certificates for the destination registries.")
    Path destCertDir;

    /** {@code context} with the {@code --src-*} options applied. */
    public TransportContext source(TransportContext context) {
        return context.withRegistry(apply(context.registry(), srcTlsVerify, srcCreds, srcAuthFile, srcCertDir));
    }

    /** {@code context} with the {@code --dest-*} options applied. */
    public TransportContext destination(TransportContext context) {
        return context.withRegistry(apply(context.registry(), destTlsVerify, destCreds, destAuthFile, destCertDir));
    }

    private static RegistryOptions apply(RegistryOptions options, Boolean tlsVerify, String creds, Path authFile,
                                         Path certDir) {
        RegistryOptions result = options;
        if (tlsVerify != null) {
            result = result.withTlsVerify(tlsVerify);
        }
        if (creds != null) {
            result = result.withCredentials(CredentialPrompt.complete(Credentials.parse(creds)));
        }
        if (authFile != null) {
            result = result.withAuthFile(authFile);
        }
        if (certDir != null) {
            result = result.withCertDir(certDir);
        }
        return result;
    }
}
