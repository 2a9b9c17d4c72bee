/**
 * {@code docker://}: registries speaking the OCI distribution API (Docker Registry HTTP API V2).
 * {@link hoist.engine.transport.registry.RegistryClient} is the API of one repository, over
 * {@link hoist.engine.transport.registry.RegistryAuth} (challenges, Basic, Bearer tokens per scope)
 * and {@link hoist.engine.transport.registry.RegistryHttp} (TLS and the HTTP client).
 */
package hoist.engine.transport.registry;
