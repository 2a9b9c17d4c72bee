/**
 * {@code docker://}: registries speaking the OCI distribution API (Docker Registry HTTP API V2).
 *
 * <p>{@link hoist.engine.transport.registry.RegistryReference} parses and routes a reference
 * (registries.conf mirrors and blocks); {@link hoist.engine.transport.registry.RegistrySource} and
 * {@link hoist.engine.transport.registry.RegistryDestination} are the transport's two sides. Both talk
 * through {@link hoist.engine.transport.registry.RegistryClient}, the API of one repository, which is
 * a facade over one class per concern:
 * <ul>
 *   <li>{@code RegistryEndpoint}: where the API answers (https, or http with {@code --tls-verify=false})
 *       and the URL of each call;</li>
 *   <li>{@code RegistryCaller}: every request's authorization ({@code RegistryAuth}: challenges,
 *       Basic, Bearer tokens per scope), 401 answers and retries ({@code RetryPolicy},
 *       {@code NetworkFailure} for the words);</li>
 *   <li>{@code BlobUpload}: blobs streamed up in {@code PATCH} segments, resumed after a cut from the
 *       offset the registry reports;</li>
 *   <li>{@code BlobDownload}: blobs streamed down, resumed with {@code Range} requests;</li>
 *   <li>{@link hoist.engine.transport.registry.BufferPool}: the client's transfer buffers;</li>
 *   <li>{@code RegistryHttp}: the HTTP client, TLS from certs.d and client certificates.</li>
 * </ul>
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md">OCI distribution spec</a>
 */
package hoist.engine.transport.registry;
