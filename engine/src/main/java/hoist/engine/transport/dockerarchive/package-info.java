/**
 * {@code docker-archive:PATH[:NAME:TAG|:@N]}: what {@code docker save} writes and {@code docker load}
 * reads: a tar with {@code manifest.json}, the configs and the uncompressed layers.
 */
package hoist.engine.transport.dockerarchive;
