/**
 * {@code sif:PATH}: reading a Singularity Image Format file (its global header and descriptor
 * table, the definition file, and the squashfs root file system of the primary system partition,
 * streamed into a tar layer through {@code unsquashfs -pf}) as a one-layer OCI image, the way
 * containers/image's sif transport maps it.
 *
 * @see <a href="https://github.com/sylabs/sif">the SIF format</a>
 */
package hoist.engine.transport.sif;
