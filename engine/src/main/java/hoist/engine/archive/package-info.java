/**
 * Tar archives as image containers: a safe index over a tar file whose entries are then read in
 * place by offset (no extraction), and the checks that refuse hostile archives.
 */
package hoist.engine.archive;
