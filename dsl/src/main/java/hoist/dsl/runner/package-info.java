/**
 * Runs the command model: {@link hoist.dsl.runner.CommandRunner} builds the command tree from the
 * commands of {@link hoist.dsl.command}, parses the words of a command line against it and calls the
 * command, turning picocli's parse errors into one usage line. The command line, the shell and the
 * Groovy binding all run commands through here; the commands themselves know nothing of it.
 */
package hoist.dsl.runner;
