/**
 * Running one command for a person or a log, the same on the command line and in the shell: the
 * worker thread that Ctrl-C, SIGINT and SIGTERM cancel ({@link hoist.shell.console.CommandThread}),
 * progress as bars on a terminal or as plain lines, and a failure as its {@code Error:} lines.
 */
package hoist.shell.console;
