/**
 * sealos's image hub: the {@code imagehub.sealos.io/v1} {@code Image} custom resource that
 * {@code sealos push --cr-option} writes to the Kubernetes API after a push, built from the image's
 * own {@code /metadata/config.yaml} and {@code /README.md} and its ID, architecture and size.
 *
 * @see <a href="https://github.com/labring/sealos/tree/main/controllers/imagehub">sealos's imagehub controller</a>
 */
package hoist.engine.sealos;
