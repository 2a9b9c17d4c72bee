/**
 * {@code oci:PATH[:REF]}: an OCI image layout directory. The layout reading code works over
 * {@link hoist.engine.transport.oci.LayoutFiles}, so {@code oci-archive:} reads a tar in place with it.
 */
package hoist.engine.transport.oci;
