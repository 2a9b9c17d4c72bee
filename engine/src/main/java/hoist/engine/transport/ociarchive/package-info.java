/**
 * {@code oci-archive:PATH[:REF]}: a tar of an OCI layout. Read in place through a tar index (no
 * extraction); written as a layout in a temporary directory and packed at commit.
 */
package hoist.engine.transport.ociarchive;
