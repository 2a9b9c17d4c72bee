/**
 * What every command runs against and gives back, below the command model: the {@link
 * hoist.dsl.Session} (transport context, output, progress, the store a bare name means, where
 * scripts run), {@link hoist.dsl.CommandOutput} and {@link hoist.dsl.Results} (a result as text),
 * the progress listeners for plain lines and JSON, and the suggestions for mistyped names.
 *
 * <p>Inside the DSL module dependencies point one way: {@code hoist.dsl.groovy} (the Groovy
 * binding) -> {@code hoist.dsl.runner} (parses and runs command lines) -> {@code hoist.dsl.command}
 * (the command model, one class per command) -> this package and {@code hoist.dsl.format}.
 */
package hoist.dsl;
