/**
 * Stream and file plumbing every transport shares: bulk-reading streams, atomic files
 * (temp + fsync + rename), and the blob pipe that feeds one stream to several destinations. It
 * knows nothing of images: the streams that digest and verify blobs are in {@code hoist.engine.image}.
 */
package hoist.engine.io;
