/**
 * The embedded local store: content-addressed blobs kept as received ({@code BlobStore}), an
 * index of images with their names ({@code ImageIndex}, a value whose every change is a pure
 * transform, kept in {@code images.json}), lookups by name, short name, ID and ID prefix, and the
 * file lock that lets several processes write at once. {@link hoist.engine.store.LocalStore} is
 * the entry: each change takes the lock, reads the index, transforms it, writes it and, after a
 * removal, sweeps the blobs no image references.
 */
package hoist.engine.store;
