/**
 * The command model: one class per command, its options declared once with picocli annotations
 * (the command line, the shell's completion and the Groovy DSL's named arguments all read them),
 * and the method that runs it on the engine and returns a result object. {@link
 * hoist.dsl.command.HoistCommand} holds the global options; the list of commands is the runner's
 * ({@link hoist.dsl.runner.CommandRunner#COMMANDS}), so a new command is a class here and a line
 * there. Nothing here knows the runner or the Groovy binding.
 */
package hoist.dsl.command;
