/** The command model shared by the command line, the shell and (next) the Groovy DSL. */
package hoist.dsl;
