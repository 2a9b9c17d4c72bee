/**
 * The image model: digests, descriptors, media types, platforms, the manifest kinds (OCI
 * manifest and index, Docker schema2 manifest and list), image configs, and conversion between
 * OCI and Docker schema2, and the streams that digest and verify blobs as they are read.
 * Manifests keep their raw bytes so digests are always of exactly those.
 */
package hoist.engine.image;
