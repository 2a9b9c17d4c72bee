/**
 * Kubernetes client configuration and the little of the Kubernetes API hoist speaks: the
 * kubeconfig's current context ({@link hoist.engine.kube.KubeConfig}: server, CA, the user's token
 * or client certificate), and reading, creating and replacing one object by its path
 * ({@link hoist.engine.kube.KubeApi}), over HTTPS with that context's credentials.
 *
 * @see <a href="https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/">kubeconfig</a>
 */
package hoist.engine.kube;
