/**
 * {@code main()}: reads the command line (global options, a command, a script, {@code -e CODE})
 * and runs it through the DSL's runner on a cancellable thread, prints its result, and exits with
 * the contract's status (0, 1, 2 for usage). Without a command it opens the interactive shell of
 * {@link hoist.shell.repl}. Dependencies point down: this package -> {@code repl} ->
 * {@code console}.
 */
package hoist.shell;
