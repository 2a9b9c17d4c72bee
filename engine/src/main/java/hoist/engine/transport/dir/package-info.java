/**
 * {@code dir:PATH}: the directory format of skopeo's dir transport: {@code version},
 * {@code manifest.json}, blobs named by their hex digest, {@code HEX.manifest.json} for list
 * instances, and {@code signature-N} files.
 */
package hoist.engine.transport.dir;
