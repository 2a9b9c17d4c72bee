/**
 * What is attached to a manifest and travels with it: OCI 1.1 referrers (manifests whose
 * {@code subject} names it, found through a registry's referrers API, the referrers tag schema, or
 * a layout's index.json) and cosign's {@code sha256-HEX.sig}/{@code .att}/{@code .sbom} tags.
 * {@link hoist.engine.referrers.Referrers} finds them (referrers of referrers too, to a bounded
 * depth), copies them to a destination after their subject, and attaches a new artifact to a
 * manifest already written.
 */
package hoist.engine.referrers;
