/**
 * Stream and file plumbing every transport shares: digesting and verifying streams, atomic files
 * (temp + fsync + rename), and the blob pipe that feeds one stream to several destinations.
 */
package hoist.engine.io;
