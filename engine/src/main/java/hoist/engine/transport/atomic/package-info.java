/**
 * {@code atomic:HOST/NAMESPACE/STREAM:TAG}: an image stream tag of an OpenShift cluster's
 * registry, as kpod and containers/image name it, reached as {@code docker://} with the
 * credentials of the kubeconfig's current context.
 *
 * @see <a href="https://github.com/containers/image/tree/main/openshift">containers/image's openshift transport</a>
 */
package hoist.engine.transport.atomic;
