/**
 * The {@code containers-storage:} transport: podman's and buildah's image store read and written
 * in place, as containers/storage lays it out ({@code storage.conf}; {@code DRIVER-layers/layers.json},
 * {@code DRIVER-images/images.json} and the images' big-data files; layer directories of the
 * {@code vfs} and {@code overlay} drivers; tar-split data to rebuild each layer's tarball), under
 * the same {@code *.lock} files and last-writer tokens. {@link hoist.engine.transport.storage.ContainersStorage}
 * is the store as a whole (list, tag, remove) for commands that manage it.
 *
 * @see <a href="https://github.com/containers/storage">containers/storage</a>
 * @see <a href="https://github.com/containers/image/tree/main/storage">containers/image storage transport</a>
 */
package hoist.engine.transport.storage;
