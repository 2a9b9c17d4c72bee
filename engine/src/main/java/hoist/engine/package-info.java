/**
 * The hoist engine: the image model, the transports, the copy pipeline and the local store.
 * It knows nothing of terminals or Groovy and can be used from any JVM program.
 */
package hoist.engine;
