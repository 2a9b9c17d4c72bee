/** Output for scripts that parse it: the Go-template subset of {@code --format}, as podman and skopeo read it. */
package hoist.dsl.format;
