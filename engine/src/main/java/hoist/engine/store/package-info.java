/**
 * The embedded local store: content-addressed blobs kept as received, an index of images with
 * their names, lookups by name, short name, ID and ID prefix, and the file lock that lets several
 * processes write at once.
 */
package hoist.engine.store;
