/**
 * Tar archives as image containers: a safe index over a tar file whose entries are then read in
 * place by offset (no extraction), the checks that refuse hostile archives, and a writer that
 * produces the exact bytes Go's archive/tar writes ({@link hoist.engine.archive.GoTarWriter}).
 */
package hoist.engine.archive;
