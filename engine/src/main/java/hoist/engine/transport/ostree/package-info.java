/**
 * {@code ostree:IMAGE[@/REPO]}: writing images into an OSTree repository and reading them back,
 * in containers/image's layout (layer trees with their tar-split and digests in the commit
 * metadata, the config as a {@code content} file, the manifest and signatures in the image's own
 * commit), through the {@code ostree} command-line tool.
 *
 * @see <a href="https://github.com/containers/image/tree/v5.33.0/ostree">containers/image ostree transport</a>
 */
package hoist.engine.transport.ostree;
