/**
 * Output for scripts that parse it: the subset of Go's {@code text/template} that {@code --format}
 * takes, as podman and skopeo read it ({@link hoist.dsl.format.GoTemplate}), and times printed the
 * way Go prints a {@code time.Time} ({@link hoist.dsl.format.GoTime}). Depends on nothing else of hoist.
 */
package hoist.dsl.format;
