/**
 * The Groovy binding over the command model: the base class every script runs with (each command
 * a method, named arguments the long options in camelCase, turned into command-line words by
 * {@code CommandWords} and run by the runner), the host that compiles and runs script files,
 * {@code -e} code and the shell's lines (a command line typed in the shell, with its Groovy
 * variables expanded, or Groovy whose variables, methods, classes and imports live on from one
 * line to the next), Groovy properties for the engine's result records, and the errors that
 * point at the user's script line.
 */
package hoist.dsl.groovy;
