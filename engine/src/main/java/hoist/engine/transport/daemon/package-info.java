/**
 * {@code docker-daemon:REFERENCE}: images of a Docker daemon, reached through the Docker Engine API
 * on {@code DOCKER_HOST} with a small HTTP/1.1 client of its own (unix sockets through the JDK's
 * {@code SocketChannel}, TCP with TLS). An image is read as the tar stream of {@code images/get}
 * and written as the tar stream of {@code POST images/load}, both in docker-archive format and
 * both streamed: nothing is staged whole on disk or in memory.
 */
package hoist.engine.transport.daemon;
