/**
 * The Groovy DSL: the base class every script runs with (each command a method, named arguments
 * the long options in camelCase), the host that compiles and runs scripts and shell lines, and the
 * errors that point at the user's script line.
 */
package hoist.dsl.groovy;
