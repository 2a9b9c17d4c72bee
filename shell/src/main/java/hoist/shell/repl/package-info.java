/**
 * The interactive shell: a JLine line reader assembled from JLine's parts (completion from the
 * command model, the local store and registries; history; highlighting), each line handed to an
 * evaluator on a worker thread that Ctrl-C interrupts.
 */
package hoist.shell.repl;
