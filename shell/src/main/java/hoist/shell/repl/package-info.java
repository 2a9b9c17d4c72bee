/**
 * The interactive shell, assembled from JLine's parts: a {@code SystemRegistryImpl} over the
 * command model ({@link hoist.shell.repl.HoistCommands}, a JLine {@code CommandRegistry} read from
 * the picocli declarations) and the shell's own words; {@link hoist.shell.repl.ShellParser}, which
 * reads command lines as a POSIX shell and Groovy as Groovy; completion of image references
 * ({@link hoist.shell.repl.ReferenceCompletion}: registered transports, the store {@code --storage}
 * names, paths, registry tags) and of Groovy values ({@link hoist.shell.repl.GroovyCompletion});
 * {@code SystemHighlighter} with hoist's nanorc grammars; {@code TailTipWidgets}; JLine's
 * {@code history}. Each line runs through the DSL's {@code ScriptHost} on a worker thread that
 * Ctrl-C interrupts.
 */
package hoist.shell.repl;
