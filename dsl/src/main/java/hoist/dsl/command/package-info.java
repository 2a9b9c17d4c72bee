/**
 * One class per command: its options, declared once with picocli annotations, and the method that
 * runs it on the engine and returns a result object.
 */
package hoist.dsl.command;
