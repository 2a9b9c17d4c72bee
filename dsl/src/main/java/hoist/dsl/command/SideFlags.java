package hoist.dsl.command;

import hoist.engine.HoistException;
import hoist.engine.auth.Credentials;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.RegistryOptions;
import hoist.engine.transport.TransportContext;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * skopeo copy's per-side options: {@code --src-*} apply to the source only, {@code --dest-*} (and
 * {@code --additional-tag}) to the destinations only, each over the options that apply to both.
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

    @Option(names = "--src-shared-blob-dir", paramLabel = "DIR",
            description = "Read an oci: source's blobs from DIR/sha256/HEX instead of its blobs/.")
    Path srcSharedBlobDir;

    @Option(names = "--dest-shared-blob-dir", paramLabel = "DIR",
            description = "Write oci: destinations' blobs to DIR/sha256/HEX instead of their blobs/.")
    Path destSharedBlobDir;

    @Option(names = "--additional-tag", paramLabel = "NAME:TAG",
            description = "Also name the image NAME:TAG in a docker-archive: destination (repeatable; "
                    + "other destinations ignore it, as skopeo's do).")
    List<String> additionalTags = List.of();

    /** {@code context} with the {@code --src-*} options applied. */
    public TransportContext source(TransportContext context) {
        TransportContext result = context.withRegistry(apply(context.registry(), srcTlsVerify, srcCreds, srcAuthFile,
                srcCertDir));
        return srcSharedBlobDir == null ? result : result.withOciSharedBlobDir(srcSharedBlobDir.toAbsolutePath());
    }

    /**
     * {@code context} with the {@code --dest-*} options and {@code --additional-tag} applied.
     *
     * @throws HoistException (usage) when an additional tag is not a valid name with a tag and no digest
     */
    public TransportContext destination(TransportContext context) {
        TransportContext result = context.withRegistry(apply(context.registry(), destTlsVerify, destCreds, destAuthFile,
                destCertDir));
        if (destSharedBlobDir != null) {
            result = result.withOciSharedBlobDir(destSharedBlobDir.toAbsolutePath());
        }
        return additionalTags.isEmpty() ? result
                : result.withArchiveAdditionalTags(additionalTags.stream().map(SideFlags::additionalTag).toList());
    }

    /** skopeo's rule: a normalized name with a tag and without a digest. */
    private static DockerReference additionalTag(String text) {
        DockerReference name;
        try {
            name = DockerReference.parse(text);
        } catch (HoistException e) {
            throw HoistException.usage("--additional-tag: " + e.getMessage());
        }
        if (name.tag() == null || name.digest() != null) {
            throw HoistException.usage("--additional-tag \"" + text + "\" must be NAME:TAG (a tag, no digest)");
        }
        return name;
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
